import { describe, expect, it } from "vitest";
import { openApiDocument } from "./document";
import { responseChecker, routePathOf, templateOf } from "./response-check";

const doc = openApiDocument();
const check = responseChecker(doc);
const json = "application/json";
const version = {
  id: "v1",
  status: "VALIDATING",
  version: 1,
  deduplicated: false,
};

describe("responseChecker", () => {
  it("passes a body that matches the documented schema", () => {
    const r = { method: "POST", path: "/api/v1/datasets/{id}/versions", status: 202 };
    expect(check({ ...r, contentType: json, body: version })).toEqual([]);
  });

  it("names the field that does not match", () => {
    const r = { method: "POST", path: "/api/v1/datasets/{id}/versions", status: 202 };
    const problems = check({ ...r, contentType: json, body: { ...version, version: "1" } });
    expect(problems.join("\n")).toMatch(/→ 202: body\/version must be integer/);
    expect(check({ ...r, contentType: json, body: { ...version, extra: 1 } }).join()).toMatch(
      /must NOT have additional properties \(extra\)/,
    );
    expect(check({ ...r, contentType: json, body: { ...version, status: "DONE" } }).join()).toMatch(
      /body\/status must be equal to one of the allowed values/,
    );
  });

  it("checks error bodies, statuses and content types", () => {
    const r = { method: "GET", path: "/api/v1/datasets/{id}", contentType: json };
    expect(
      check({ ...r, status: 404, body: { error: { code: "not_found", message: "x" } } }),
    ).toEqual([]);
    expect(check({ ...r, status: 404, body: { message: "x" } }).join()).toMatch(
      /must have required property 'error'/,
    );
    expect(check({ ...r, status: 410, body: {} }).join()).toMatch(/status not documented/);
    expect(check({ ...r, status: 200, contentType: "text/html", body: undefined }).join()).toMatch(
      /Content-Type text\/html not documented/,
    );
    expect(
      check({
        method: "GET",
        path: "/api/v1/model-versions/{id}/card.md",
        status: 200,
        contentType: "text/markdown; charset=utf-8",
      }),
    ).toEqual([]);
  });

  it("finds the path template of a route file or of a request path", () => {
    expect(routePathOf("    at /work/main/app/api/v1/datasets/[id]/versions/route.ts:9:3")).toBe(
      "/api/v1/datasets/{id}/versions",
    );
    expect(routePathOf("at /work/main/lib/server/core/http.ts:1:1")).toBeNull();
    expect(templateOf(doc, "POST", "/api/v1/traces/import")).toBe("/api/v1/traces/import");
    expect(templateOf(doc, "GET", "/api/v1/traces/abc")).toBe("/api/v1/traces/{id}");
    expect(templateOf(doc, "GET", "/api/v1/nothing-here")).toBeNull();
  });
});
