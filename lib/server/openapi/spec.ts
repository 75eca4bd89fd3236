/**
 * The vocabulary the area files (datasets.ts, training.ts, …) describe /api/v1 in: one
 * `Operation` per exported route handler, with the zod schemas of lib/schemas as its shapes.
 * document.ts turns the list into OpenAPI 3.1; nothing here is JSON Schema written by hand.
 */
import type { z } from "zod";
import type { Action } from "@/lib/domain/permissions";

export const METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type Method = (typeof METHODS)[number];

/**
 * How the route authenticates, as its handler is built (lib/server/core/http.ts): `publicRoute`,
 * `userRoute` (a signed-in person, never an API key) or `teamRoute(action)`.
 */
export type Auth = "public" | "user" | { action: Action };

/**
 * Content other than JSON: `"binary"` (bytes: gzip, tar, octet-stream) or `"text"` (NDJSON,
 * Markdown, source code). JSON is always a zod schema.
 */
export type MediaSchema = z.ZodType | "binary" | "text";

export type Body = {
  description?: string;
  /** Default true. */
  required?: boolean;
  /** Media type → its schema. */
  content: Record<string, MediaSchema>;
};

export type Header = { description: string; schema?: z.ZodType; required?: boolean };

export type Reply = {
  description: string;
  /** Media type → its schema; omitted for a response without a body. */
  content?: Record<string, MediaSchema>;
  headers?: Record<string, Header>;
};

/** The statuses lib/server/core/errors.ts and http.ts answer with the `{ error }` body. */
export const ERROR_STATUSES = [400, 401, 403, 404, 409, 410, 413, 415, 422, 500] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

export type Operation = {
  /** Unique, camelCase: the name a generated client gives the call. */
  id: string;
  method: Method;
  /** The OpenAPI path template, `{param}` for a `[param]` folder of app/api/v1. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  /** Path parameters: name → description (each `{name}` of the path needs one). */
  params?: Record<string, string>;
  /** The query string, parsed by this schema (its input side: strings coerced as it does). */
  query?: z.ZodObject;
  /** Request headers the route reads, other than authentication. */
  headers?: Record<string, Header>;
  /** A zod schema is a required JSON body read with `readJson` (400 / 413 / 422 apply). */
  body?: z.ZodType | Body;
  /** Success statuses: a zod schema is a JSON body with a generic description. */
  responses: Partial<Record<number, z.ZodType | Reply>>;
  /**
   * Error statuses beyond the ones derived from auth, body, query and path (401, 403, 404,
   * 400/413/422): status → why, or a reply whose body is not the plain `{ error }` shape.
   */
  errors?: Partial<Record<ErrorStatus, string | Reply>>;
};

/** A JSON request body (media type application/json), optional when `required` is false. */
export function json(schema: z.ZodType, opts: { description?: string; required?: boolean } = {}) {
  return { ...opts, content: { "application/json": schema } } satisfies Body;
}
