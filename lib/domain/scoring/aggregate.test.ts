import { describe, expect, it } from "vitest";
import type { CaseScores } from "@/lib/schemas/eval-metrics";
import { aggregateRun, meanCaseMetrics, sliceMetrics } from "./aggregate";
import { output } from "./test-helpers";

const cases: CaseScores[] = [
  {
    scores: { tool_call_accuracy: 1, json_validity: 1 },
    reasons: {},
    slice: { tool: "get_weather", intent: "weather" },
  },
  {
    scores: { tool_call_accuracy: 0, json_validity: 1 },
    reasons: { tool_call_accuracy: "x" },
    slice: { tool: "get_weather", intent: null },
  },
  {
    scores: { tool_call_accuracy: 1, exact_match: 0 },
    reasons: { exact_match: "y" },
    slice: { tool: "(no call)", intent: "smalltalk" },
  },
];

describe("aggregate", () => {
  it("averages each case metric over the cases where it is present", () => {
    expect(meanCaseMetrics(cases)).toEqual({
      metrics: { tool_call_accuracy: 2 / 3, json_validity: 1, exact_match: 0 },
      counts: { tool_call_accuracy: 3, json_validity: 2, exact_match: 1 },
    });
    expect(meanCaseMetrics([])).toEqual({ metrics: {}, counts: {} });
  });

  it("adds the run metrics of the enabled scorers", () => {
    const outputs = [output({ latencyMs: 120 }), output({ latencyMs: 80 })];
    expect(
      aggregateRun(cases, outputs, { scorers: ["tool_call", "latency"], prices: null }),
    ).toEqual({
      tool_call_accuracy: 2 / 3,
      json_validity: 1,
      exact_match: 0,
      latency_p50_ms: 80,
      latency_p95_ms: 120,
    });
  });

  it("groups by slice, leaving cases without an intent out of the intent slices", () => {
    expect(sliceMetrics(cases, "tool")).toEqual({
      get_weather: { cases: 2, metrics: { tool_call_accuracy: 0.5, json_validity: 1 } },
      "(no call)": { cases: 1, metrics: { tool_call_accuracy: 1, exact_match: 0 } },
    });
    expect(Object.keys(sliceMetrics(cases, "intent"))).toEqual(["weather", "smalltalk"]);
  });
});
