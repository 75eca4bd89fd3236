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
  it("says which value an enum, const or type refused and what it allows", () => {
    expect(check(tools, "get_weather", { city: "Paris", unit: "k" })).toBe(
      'arguments.unit must be equal to one of the allowed values: got "k", allowed "c", "f"',
    );
    expect(check(tools, "get_weather", { city: 75001 })).toBe(
      "arguments.city must be string: got 75001",
    );
    const fixed = [
      {
        function: {
          name: "f",
          parameters: { type: "object", properties: { v: { const: 2 } } },
        },
      },
    ];
    expect(check(fixed, "f", { v: 3 })).toBe(
      "arguments.v must be equal to constant: got 3, expected 2",
    );
  });
  it("reports a schema that cannot compile", () => {
    expect(check(tools, "broken", { a: 1 })).toMatch(/^invalid_schema:/);
  });
});
