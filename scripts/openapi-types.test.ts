import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { renderOpenApiTypes, TYPES_PATH } from "./openapi-types";

it("lib/client/openapi-types.ts is generated from the current OpenAPI document", async () => {
  const committed = readFileSync(TYPES_PATH, "utf8");
  const fresh = await renderOpenApiTypes();
  expect(
    committed === fresh,
    "lib/client/openapi-types.ts is stale: run `npm run openapi:types`",
  ).toBe(true);
}, 60_000);
