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

  it("judges tool calls under the suite's profile, with the output's raw argument text", () => {
    const countTool: ToolDef = {
      type: "function",
      function: {
        name: "repeat",
        parameters: {
          type: "object",
          properties: { times: { type: "integer" } },
          required: ["times"],
        },
      },
    };
    const base = {
      expected: { text: null, toolCalls: [{ name: "repeat", arguments: { times: 5 } }] },
      tools: [countTool],
      slice: { tool: "repeat", intent: null },
      scorers: ["tool_call"] as const,
      validateArgs,
      // The endpoint parsed 5.0 to 5; the raw text keeps what the model wrote.
      output: output({
        toolCalls: [{ name: "repeat", arguments: { times: 5 } }],
        rawArguments: ['{"times": 5.0}'],
      }),
    };
    expect(scoreCase(base).scores.tool_call_accuracy).toBe(1);
    expect(scoreCase({ ...base, profile: "retune" }).scores.tool_call_accuracy).toBe(1);
    const bfcl = scoreCase({ ...base, profile: "bfcl" });
    expect(bfcl.scores).toEqual({ tool_call_accuracy: 0, tool_name_accuracy: 1 });
    expect(bfcl.reasons.tool_call_accuracy).toBe(
      'repeat: argument "times": expected integer, got 5.0 (an integral float; the bfcl profile refuses it)',
    );
  });

  it("judges a case that states its expectation by acceptable sets or expect, tools or not", () => {
    const acceptable = [{ name: "get_weather", arguments: { city: ["Paris", "Paris, FR"] } }];
    const r = scoreCase({
      expected: { text: null, toolCalls: [], acceptable },
      tools: [],
      slice: { tool: "get_weather", intent: null },
      scorers: ["tool_call"],
      validateArgs,
      output: output({ toolCalls: [{ name: "get_weather", arguments: { city: "paris, fr" } }] }),
    });
    expect(r.scores).toEqual({ tool_call_accuracy: 1, tool_name_accuracy: 1 });
    const irrelevant = scoreCase({
      expected: { text: null, toolCalls: [], expect: "no_call" },
      tools: [],
      slice: { tool: "(no call)", intent: null },
      scorers: ["tool_call"],
      validateArgs,
      output: output({ toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] }),
    });
    expect(irrelevant.scores).toEqual({ tool_call_accuracy: 0, tool_name_accuracy: 0 });
  });
});
