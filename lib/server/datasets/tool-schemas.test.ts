import { describe, expect, it } from "vitest";
import { createArgumentChecker } from "./tool-schemas";

const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, unit: { enum: ["c", "f"] } },
        required: ["city"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: { name: "broken", parameters: { type: "object", properties: { a: { type: 12 } } } },
  },
];

describe("tool argument checker", () => {
  const check = createArgumentChecker();
  it("accepts valid arguments and names the failing field otherwise", () => {
    expect(check(tools, "get_weather", { city: "Paris" })).toBeNull();
    expect(check(tools, "get_weather", {})).toContain("must have required property 'city'");
    expect(check(tools, "get_weather", { city: "Paris", unit: "k" })).toContain("arguments.unit");
    expect(check(tools, "get_weather", { city: "Paris", when: "now" })).toContain('"when"');
  });
  it("reports a schema that cannot compile", () => {
    expect(check(tools, "broken", { a: 1 })).toMatch(/^invalid_schema:/);
  });
});
