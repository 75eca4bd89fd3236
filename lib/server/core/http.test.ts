import { describe, expect, it } from "vitest";
import { z } from "zod";
import { notFound } from "./errors";
import { publicRoute, readJson } from "./http";

const ctx = { params: Promise.resolve({}) };
const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", { method: "POST", body, headers });

describe("route errors", () => {
  const schema = z.object({ name: z.string().min(2), scopes: z.array(z.enum(["read"])) });
  const route = publicRoute(async (req) => readJson(req, schema));

  it("names the field that failed validation", async () => {
    const res = await route(post(JSON.stringify({ name: "x", scopes: ["root"] })), ctx);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe("invalid");
    expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual(["name", "scopes.0"]);
  });

  it("says where malformed JSON broke", async () => {
    const res = await route(post('{"name": "ok",'), ctx);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "malformed_json" });
  });

  it("refuses oversize bodies before reading them", async () => {
    const res = await route(post("{}", { "content-length": "5000000" }), ctx);
    expect(res.status).toBe(413);
  });

  it("passes HttpErrors through with their status and hides unexpected ones", async () => {
    const missing = await publicRoute(async () => {
      throw notFound("dataset", "d1");
    })(post("{}"), ctx);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toBe("dataset d1 not found");
    const boom = await publicRoute(async () => {
      throw new Error("db password is hunter2");
    })(post("{}"), ctx);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain("hunter2");
  });
});
