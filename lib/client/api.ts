import { z } from "zod";
import { apiErrorSchema } from "@/lib/schemas/common";

export type ApiIssue = { path: string; message: string };

/** A failed API call: the HTTP status plus the `{ error: { code, message, issues } }` body. */
export class ApiClientError extends Error {
  override readonly name = "ApiClientError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

export type ApiInit = Omit<RequestInit, "body"> & {
  /** Serialised as the JSON request body. */
  json?: unknown;
  /**
   * Non-2xx statuses whose body is still a valid response (GET /health answers 503 with the
   * same shape when something is down).
   */
  acceptStatuses?: number[];
};

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Calls the retune API from the browser and parses the response with `schema`, so a component
 * never sees an unchecked shape. Throws ApiClientError for HTTP errors, network failures and
 * responses that do not match the schema.
 */
export async function apiFetch<S extends z.ZodType>(
  path: string,
  schema: S,
  init: ApiInit = {},
): Promise<z.infer<S>> {
  const { json, acceptStatuses = [], headers: initHeaders, ...rest } = init;
  const headers = new Headers(initHeaders);
  headers.set("accept", "application/json");
  if (json !== undefined) headers.set("content-type", "application/json");

  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      headers,
      credentials: "same-origin",
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
  } catch (e) {
    throw new ApiClientError(0, "network", `could not reach the server: ${(e as Error).message}`);
  }

  const body = await readBody(res);
  if (!res.ok && !acceptStatuses.includes(res.status)) {
    const parsed = apiErrorSchema.safeParse(body);
    if (parsed.success) {
      const { code, message, issues } = parsed.data.error;
      throw new ApiClientError(res.status, code, message, issues);
    }
    throw new ApiClientError(res.status, `http_${res.status}`, `${res.status} ${res.statusText}`);
  }

  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiClientError(
      res.status,
      "bad_response",
      `unexpected response from ${path}: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** Field-level messages from a 422, keyed by the issue path (e.g. `email`), for inline errors. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiClientError)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path] ??= issue.message;
  return out;
}

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  return "something went wrong";
}
