import { describe, expect, it } from "vitest";
import type { CaseScores } from "@/lib/schemas/eval-metrics";
import {
  aggregateRun,
  conversationSuccess,
  meanCaseMetrics,
  runSlices,
  sliceMetrics,
  turnRight,
} from "./aggregate";
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

  it("groups by category and turn, leaving cases without the key out", () => {
    const turns: CaseScores[] = [
      {
        scores: { tool_call_accuracy: 1 },
        reasons: {},
        slice: { tool: "a", intent: null, category: "simple", turn: "1" },
      },
      {
        scores: { tool_call_accuracy: 0 },
        reasons: {},
        slice: { tool: "b", intent: null, category: "simple", turn: "2" },
      },
      {
        scores: { tool_call_accuracy: 1 },
        reasons: {},
        slice: { tool: "a", intent: null, turn: "1" },
      },
      {
        scores: { tool_call_accuracy: 1 },
        reasons: {},
        slice: { tool: "a", intent: null, category: null },
      },
    ];
    expect(sliceMetrics(turns, "turn")).toEqual({
      "1": { cases: 2, metrics: { tool_call_accuracy: 1 } },
      "2": { cases: 1, metrics: { tool_call_accuracy: 0 } },
    });
    expect(sliceMetrics(turns, "category")).toEqual({
      simple: { cases: 2, metrics: { tool_call_accuracy: 0.5 } },
    });
  });
});

describe("runSlices", () => {
  it("keeps every slicing that has keys, and leaves out those no case has", () => {
    const slices = runSlices([
      ...cases,
      {
        scores: { tool_call_accuracy: 0 },
        reasons: {},
        slice: { tool: "get_weather", intent: null, category: "parallel", turn: "2" },
      },
    ]);
    expect(Object.keys(slices).sort()).toEqual(["category", "intent", "tool", "turn"]);
    expect(slices.tool!.get_weather).toEqual({
      cases: 3,
      metrics: expect.objectContaining({ tool_call_accuracy: 1 / 3 }),
    });
    expect(slices.turn).toEqual({ "2": { cases: 1, metrics: { tool_call_accuracy: 0 } } });
    expect(runSlices(cases).turn).toBeUndefined();
  });
});

describe("conversation success", () => {
  const turn = (scores: CaseScores["scores"]): CaseScores => ({
    scores,
    reasons: {},
    slice: { tool: "t", intent: null },
  });

  it("judges a turn by tool_call_accuracy, else by every metric that applies", () => {
    expect(turnRight(turn({ tool_call_accuracy: 1, exact_match: 0 }))).toBe(true);
    expect(turnRight(turn({ tool_call_accuracy: 0, exact_match: 1 }))).toBe(false);
    expect(turnRight(turn({ exact_match: 1, json_validity: 1 }))).toBe(true);
    expect(turnRight(turn({ exact_match: 1, contains_match: 0 }))).toBe(false);
    expect(turnRight(turn({}))).toBeNull();
  });

  it("is the share of conversations whose every judged turn was right", () => {
    const cases = [
      turn({ tool_call_accuracy: 1 }), // conversation 0: right, right
      turn({ tool_call_accuracy: 1, exact_match: 0 }),
      turn({ tool_call_accuracy: 1 }), // conversation 1: right, wrong, right
      turn({ tool_call_accuracy: 0 }),
      turn({ tool_call_accuracy: 1 }),
      turn({}), // conversation 2: nothing judged, left out
      turn({ tool_call_accuracy: 1 }), // conversation 3: one turn, right
    ];
    const conversations = [0, 0, 1, 1, 1, 2, 3];
    expect(conversationSuccess(cases, conversations)).toEqual({ value: 2 / 3, conversations: 3 });
    expect(conversationSuccess([turn({})], [0])).toBeUndefined();
    expect(() => conversationSuccess(cases, [0])).toThrow(/1 conversation keys for 7 cases/);
    // Turn-level accuracy stays the mean over turns; the run gets both.
    expect(
      aggregateRun(cases, [], { scorers: ["tool_call"], prices: null, conversations }),
    ).toEqual({
      tool_call_accuracy: 5 / 6,
      exact_match: 0,
      conversation_success: 2 / 3,
    });
    // Without conversation keys (a first-turn suite) there is no conversation metric.
    expect(aggregateRun(cases, [], { scorers: ["tool_call"], prices: null })).not.toHaveProperty(
      "conversation_success",
    );
  });
});
