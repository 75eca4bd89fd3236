/**
 * Integration setup: every /api/v1 handler a test calls has its response checked against the
 * OpenAPI document (the documented status, Content-Type and, for JSON, the schema). The route
 * builders of lib/server/core/http.ts are wrapped, so a handler knows its route file (from where
 * it was built) and the check needs nothing from the tests. A mismatch fails the test that made
 * the call, naming the route, status and what differs: fix the document or the schema, never
 * loosen it to pass.
 */
import { appendFileSync } from "node:fs";
import { afterAll, afterEach, vi } from "vitest";
import type * as Http from "@/lib/server/core/http";
import type { openApiDocument } from "@/lib/server/openapi/document";

const mismatches = vi.hoisted(() => [] as string[]);

vi.mock("@/lib/server/core/http", async (importOriginal) => {
  const http = await importOriginal<typeof Http>();
  const { responseChecker, routePathOf, templateOf } =
    await import("@/lib/server/openapi/response-check");
  // The document (every schema, z.toJSONSchema over every operation) is built on the first
  // response a file checks: most files import http.ts, and building it in each cost CI minutes.
  type Checker = {
    doc: ReturnType<typeof openApiDocument>;
    check: ReturnType<typeof responseChecker>;
  };
  let checker: Promise<Checker> | null = null;
  const load = () =>
    (checker ??= (async () => {
      const { openApiDocument: build } = await import("@/lib/server/openapi/document");
      const doc = build();
      return { doc, check: responseChecker(doc) };
    })());

  const checked = (handler: Http.RouteHandler) => {
    // The route file that built this handler: its path template is the document's key.
    const routeFile =
      (new Error().stack ?? "")
        .split("\n")
        .map((line) => routePathOf(line))
        .find((p) => p !== null) ?? null;
    const wrapped = async (...args: Parameters<typeof handler>) => {
      const res = await handler(...args);
      const { doc, check } = await load();
      // A handler a lib/server test builds itself is known by the URL it is called with.
      const path = routeFile ?? templateOf(doc, args[0].method, new URL(args[0].url).pathname);
      if (!path) {
        mismatches.push(`${args[0].method} ${args[0].url}: no route of the OpenAPI document`);
        return res;
      }
      const contentType = res.headers.get("content-type");
      const isJson = /^application\/json\b/i.test(contentType ?? "");
      let body: unknown;
      if (isJson) {
        const text = await res.clone().text();
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          mismatches.push(`${args[0].method} ${path} → ${res.status}: body is not JSON`);
        }
      }
      const problems = check({
        method: args[0].method,
        path,
        status: res.status,
        contentType,
        body,
      });
      mismatches.push(...problems);
      // OPENAPI_SEEN=<file>: which operations and statuses the run exercised (one line each).
      if (process.env.OPENAPI_SEEN)
        appendFileSync(process.env.OPENAPI_SEEN, `${args[0].method} ${path} ${res.status}\n`);
      return res;
    };
    return Object.assign(wrapped, { meta: handler.meta });
  };

  return {
    ...http,
    publicRoute: (fn: Parameters<typeof http.publicRoute>[0]) => checked(http.publicRoute(fn)),
    userRoute: (fn: Parameters<typeof http.userRoute>[0]) => checked(http.userRoute(fn)),
    teamRoute: (...a: Parameters<typeof http.teamRoute>) => checked(http.teamRoute(...a)),
  };
});

function failOnMismatches() {
  if (mismatches.length === 0) return;
  const found = [...new Set(mismatches.splice(0))];
  throw new Error(
    `responses that do not match the OpenAPI document (lib/server/openapi):\n  ${found.slice(0, 30).join("\n  ")}${found.length > 30 ? `\n  … and ${found.length - 30} more` : ""}`,
  );
}

afterEach(failOnMismatches);
afterAll(failOnMismatches);
