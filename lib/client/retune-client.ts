/**
 * A typed client of /api/v1: openapi-fetch over the types generated from the OpenAPI document
 * (openapi-types.ts, `npm run openapi:types`), so a path, its parameters, body and answers are
 * checked by the compiler. For scripts, the CLI and any TypeScript caller; in the browser, leave
 * out `apiKey` and the session cookie authenticates.
 *
 *   const api = createRetuneClient({ baseUrl: "https://retune.example.com", apiKey });
 *   const dataset = await unwrap(api.GET("/api/v1/datasets/{id}", { params: { path: { id } } }));
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import { ApiClientError } from "./api";
import type { components, operations, paths } from "./openapi-types";

export type { components, operations, paths };
export type RetuneClient = Client<paths>;
/** A named shape of the API, e.g. `RetuneSchema<"DatasetDetail">`. */
export type RetuneSchema<Name extends keyof components["schemas"]> = components["schemas"][Name];

export type RetuneClientOptions = {
  /** The deployment's origin, e.g. `https://retune.example.com` (a trailing `/api/v1` is dropped). */
  baseUrl: string;
  /** An API key (`rt_…`), sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Sessions only: the team to act in (`X-Retune-Team`); an API key acts in its own team. */
  team?: string;
  headers?: Record<string, string>;
  fetch?: ClientOptions["fetch"];
};

export function createRetuneClient(opts: RetuneClientOptions): RetuneClient {
  return createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, ""),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    headers: {
      ...opts.headers,
      ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
      ...(opts.team ? { "x-retune-team": opts.team } : {}),
    },
  });
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The data of a successful call, or an ApiClientError (as the console's apiFetch throws) with the
 * status, the server's error code, message and field issues.
 */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (e) {
    throw new ApiClientError(0, "network", `could not reach the server: ${(e as Error).message}`);
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<RetuneSchema<"ApiError">>;
  throw new ApiClientError(
    response.status,
    body.error?.code ?? `http_${response.status}`,
    body.error?.message ?? `${response.status} ${response.statusText}`,
    body.error?.issues ?? [],
  );
}
