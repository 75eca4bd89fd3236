import { describe, expect, it } from "vitest";
import type { ToolDef } from "@/lib/domain/datasets/types";
import { scoreSchemaValidity, type ValidateArgs } from "./schema-validity";
import { output } from "./test-helpers";

/** A tiny validator: required keys and string/integer property types only. */
const validate: ValidateArgs = (parameters, args) => {
  const p = parameters as { properties?: Record<string, { type?: string }>; required?: string[] };
  const a = args as Record<string, unknown>;
  for (const r of p.required ?? []) if (!(r in a)) return `arguments must have property "${r}"`;
  for (const [k, v] of Object.entries(a)) {
    const t = p.properties?.[k]?.type;
    if (t === "string" && typeof v !== "string") return `arguments.${k} must be string`;
    if (t === "integer" && !Number.isInteger(v)) return `arguments.${k} must be integer`;
  }
  return null;
};

const tools: ToolDef[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, days: { type: "integer" } },
        required: ["city"],
      },
    },
  },
  { type: "function", function: { name: "ping" } },
];
const expected = { text: null, toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] };
const calls = (...c: [string, Record<string, unknown>][]) =>
  output({ toolCalls: c.map(([name, args]) => ({ name, arguments: args })) });

describe("scoreSchemaValidity", () => {
  it("passes arguments that validate, even when they are not the expected ones", () => {
    expect(
      scoreSchemaValidity(expected, calls(["get_weather", { city: "Rome" }]), tools, validate),
    ).toEqual({
      score: 1,
      reason: null,
    });
    expect(scoreSchemaValidity(expected, calls(["ping", {}]), tools, validate)?.score).toBe(1);
  });

  it("fails arguments the schema rejects, naming the call", () => {
    const r = scoreSchemaValidity(
      expected,
      calls(["get_weather", { city: "Paris" }], ["get_weather", { days: 2 }]),
      tools,
      validate,
    );
    expect(r).toEqual({ score: 0, reason: 'get_weather: arguments must have property "city"' });
  });

  it("fails a call to a tool the case does not offer", () => {
    expect(scoreSchemaValidity(expected, calls(["search", {}]), tools, validate)?.reason).toBe(
      "search: not a tool the case offers (offered: get_weather, ping)",
    );
  });

  it("fails no call or an unparseable one, and reports a validator that throws", () => {
    expect(scoreSchemaValidity(expected, output(), tools, validate)?.score).toBe(0);
    expect(scoreSchemaValidity(expected, output({ toolCalls: null }), tools, validate)?.score).toBe(
      0,
    );
    const throwing: ValidateArgs = () => {
      throw new Error("bad schema");
    };
    expect(
      scoreSchemaValidity(expected, calls(["get_weather", { city: "x" }]), tools, throwing)?.reason,
    ).toBe("get_weather: the schema check failed (bad schema)");
  });

  it("is absent without tools or without an expected call", () => {
    expect(scoreSchemaValidity(expected, calls(["get_weather", {}]), [], validate)).toBeNull();
    expect(
      scoreSchemaValidity(
        { text: "hi", toolCalls: [] },
        calls(["get_weather", {}]),
        tools,
        validate,
      ),
    ).toBeNull();
  });
});
