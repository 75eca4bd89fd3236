/**
 * Route plumbing for app/api/v1: authenticate, parse, call one lib/server function, respond.
 * Each handler carries `meta` (how it authenticates, which action it performs) so the
 * route-authorization test can enumerate every route and know what to expect.
 */
import { z } from "zod";
import type { Action } from "@/lib/domain/permissions";
import { env } from "./env";
import { HttpError } from "./errors";
import { authorize } from "./authorize";
import { readJsonBody } from "./json-body";
import { authenticate, type Principal, requireUser, type SessionUser } from "./principal";

export type RouteMeta = { auth: "public" } | { auth: "user" } | { auth: "team"; action: Action };

type Params = Record<string, string>;
type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = ((req: Request, ctx: NextContext) => Promise<Response>) & {
  meta: RouteMeta;
};

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Cookie-authenticated writes must come from our own pages (custom route handlers do not get
 * Next.js's Server Action origin check). Bearer-key calls carry no ambient credentials.
 */
function checkOrigin(req: Request) {
  if (!UNSAFE.has(req.method) || req.headers.has("authorization")) return;
  if (!req.headers.get("cookie")) return;
  const origin = req.headers.get("origin");
  const allowed = new Set([new URL(env().APP_URL).origin, new URL(req.url).origin]);
  if (!origin || !allowed.has(origin)) {
    throw new HttpError(
      403,
      "bad_origin",
      `cross-origin ${req.method} refused (Origin: ${origin ?? "none"})`,
    );
  }
}

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store" } });
}

/**
 * zod's enum message lists the allowed values but not the value sent; add it (short primitives
 * only: a request's values are echoed to the caller who sent them, never logged).
 */
function issueMessage(i: z.core.$ZodIssue): string {
  const input = (i as { input?: unknown }).input;
  if (i.code !== "invalid_value" || input === undefined || (typeof input === "object" && input))
    return i.message;
  const shown = typeof input === "string" ? JSON.stringify(input.slice(0, 80)) : String(input);
  return `${i.message}; received ${shown}`;
}

function toResponse(e: unknown): Response {
  if (e instanceof HttpError) {
    return json(
      { error: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) } },
      e.status,
    );
  }
  if (e instanceof z.ZodError) {
    const issues = e.issues.map((i) => ({
      path: i.path.join(".") || "(body)",
      message: issueMessage(i),
    }));
    const first = issues[0];
    return json(
      {
        error: {
          code: "invalid",
          message: first ? `${first.path}: ${first.message}` : "invalid request",
          issues,
        },
      },
      422,
    );
  }
  console.error("[api] unhandled error", e);
  return json({ error: { code: "internal", message: "internal error; see server logs" } }, 500);
}

async function paramsOf(ctx: NextContext | undefined): Promise<Params> {
  const raw = (await ctx?.params) ?? {};
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : (v ?? "")]),
  );
}

/**
 * Parses a JSON body against a schema. The body streams within MAX_JSON_BYTES (413 naming the
 * limit, chunked or not) and nests within MAX_JSON_DEPTH (422); malformed JSON is a 400 naming
 * the problem. Values are reported in enum and literal errors (`reportInput`), see toResponse.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  return schema.parse(await readJsonBody(req), { reportInput: true });
}

type Result = Response | { status: number; body: unknown } | unknown;
const respond = (r: Result) =>
  r instanceof Response
    ? r
    : r && typeof r === "object" && "status" in r && "body" in r && Object.keys(r).length === 2
      ? json((r as { body: unknown }).body, (r as { status: number }).status)
      : json(r ?? { ok: true });

function wrap(
  meta: RouteMeta,
  run: (req: Request, params: Params) => Promise<Result>,
): RouteHandler {
  const handler = async (req: Request, ctx: NextContext) => {
    try {
      return respond(await run(req, await paramsOf(ctx)));
    } catch (e) {
      return toResponse(e);
    }
  };
  return Object.assign(handler, { meta });
}

export const created = (body: unknown) => ({ status: 201, body });
export const accepted = (body: unknown) => ({ status: 202, body });

export function publicRoute(fn: (req: Request, params: Params) => Promise<Result>): RouteHandler {
  return wrap({ auth: "public" }, fn);
}

export function userRoute(
  fn: (user: SessionUser, req: Request, params: Params) => Promise<Result>,
): RouteHandler {
  return wrap({ auth: "user" }, async (req, params) => {
    const user = await requireUser(req.headers);
    checkOrigin(req);
    return fn(user, req, params);
  });
}

/**
 * `action` is authorized before the body is read (an unauthorized caller learns nothing from
 * validation errors); the lib/server call authorizes again, as every DAL function does.
 */
export function teamRoute(
  action: Action,
  fn: (p: Principal, req: Request, params: Params) => Promise<Result>,
): RouteHandler {
  return wrap({ auth: "team", action }, async (req, params) => {
    const p = await authenticate(req.headers);
    checkOrigin(req);
    authorize(p, action);
    return fn(p, req, params);
  });
}
