import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { TEAM_HEADER } from "@/lib/server/core/principal";
import { buildOpenApiDocument, openApiDocument } from "./document";
import { OPERATIONS } from "./operations";

describe("the OpenAPI document", () => {
  it("validates against the OpenAPI 3.1 schema", async () => {
    const validator = new Validator();
    const res = await validator.validate(structuredClone(openApiDocument()));
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("has one entry per operation, each with an id, a tag, auth and a success answer", () => {
    const doc = openApiDocument();
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(ops).toHaveLength(OPERATIONS.length);
    for (const op of ops) {
      expect(op.operationId).toBeTruthy();
      expect((op.tags as string[]).length).toBe(1);
      expect(op.security).toBeDefined();
      const statuses = Object.keys(op.responses as object).map(Number);
      expect(
        statuses.some((s) => s < 300 || s === 503),
        String(op.operationId),
      ).toBe(true);
    }
  });

  it("refers only to components it holds, and holds no component nothing refers to", () => {
    const doc = openApiDocument();
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
    expect([...refs].filter((r) => !doc.components.schemas[r!])).toEqual([]);
    expect(Object.keys(doc.components.schemas).filter((s) => !refs.has(s))).toEqual([]);
  });

  it("names the team header the server reads", () => {
    expect(openApiDocument().components.parameters.TeamHeader!.name).toBe(TEAM_HEADER);
  });

  it("refuses a path parameter without a description and a repeated operation id", () => {
    const op = OPERATIONS.find((o) => o.id === "getDataset")!;
    expect(() => buildOpenApiDocument([{ ...op, params: {} }])).toThrow(/path parameters id/);
    expect(() => buildOpenApiDocument([op, { ...op, method: "delete" }])).toThrow(/used twice/);
  });
});
