import { describe, expect, it } from "vitest";
import type { ToolDef } from "@/lib/domain/datasets/types";
import { DEFAULT_SCORERS, SCORERS } from "@/lib/schemas/eval-metrics";
import { scoreCase } from "./score-case";
import { output } from "./test-helpers";

const tools: ToolDef[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      },
    },
  },
];
const validateArgs = (_p: unknown, a: unknown) =>
  typeof (a as { city?: unknown }).city === "string" ? null : "arguments.city must be string";
const callCase = {
  expected: { text: null, toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
  tools,
  slice: { tool: "get_weather", intent: "weather" },
  validateArgs,
};

describe("scoreCase", () => {
  it("scores a correct call on every tool metric and leaves text metrics absent", () => {
    const r = scoreCase({
      ...callCase,
      scorers: SCORERS,
      output: output({ toolCalls: [{ name: "get_weather", arguments: { city: "paris" } }] }),
    });
    expect(r).toEqual({
      scores: {
        tool_call_accuracy: 1,
        tool_name_accuracy: 1,
        json_validity: 1,
        schema_validity: 1,
      },
      reasons: {},
      slice: { tool: "get_weather", intent: "weather" },
    });
  });

  it("keeps a reason for each lost point", () => {
    const r = scoreCase({
      ...callCase,
      scorers: DEFAULT_SCORERS,
      output: output({ toolCalls: [{ name: "get_weather", arguments: { city: 7 } }] }),
    });
    expect(r.scores).toEqual({
      tool_call_accuracy: 0,
      tool_name_accuracy: 1,
      json_validity: 1,
      schema_validity: 0,
    });
    expect(r.reasons).toEqual({
      tool_call_accuracy: 'get_weather: argument "city": expected string, got integer 7',
      schema_validity: "get_weather: arguments.city must be string",
    });
  });

  it("runs only the enabled scorers", () => {
    const r = scoreCase({
      ...callCase,
      scorers: ["json_validity"],
      output: output({ toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] }),
    });
    expect(r.scores).toEqual({ json_validity: 1 });
  });

  it("scores a text case with text metrics and relevance when tools are offered", () => {
    const expected = { text: "I can only help with weather.", toolCalls: [] };
    const r = scoreCase({
      expected,
      tools,
      slice: { tool: "(no call)", intent: null },
      scorers: SCORERS,
      validateArgs,
      output: output({ text: "I can only help with weather." }),
    });
    expect(r.scores).toEqual({
      tool_call_accuracy: 1,
      tool_name_accuracy: 1,
      exact_match: 1,
      contains_match: 1,
    });
    const plain = scoreCase({
      expected,
      tools: [],
      slice: { tool: "(no call)", intent: null },
      scorers: SCORERS,
      validateArgs,
      output: output({ text: "no" }),
    });
    expect(plain.scores).toEqual({ exact_match: 0, contains_match: 0 });
  });

  it("gives the target's error as the reason", () => {
    const r = scoreCase({
      ...callCase,
      scorers: ["tool_call"],
      output: output({ error: "HTTP 503 from endpoint" }),
    });
    expect(r.scores.tool_call_accuracy).toBe(0);
    expect(r.reasons.tool_call_accuracy).toBe(
      "the target returned an error: HTTP 503 from endpoint",
    );
  });
});
