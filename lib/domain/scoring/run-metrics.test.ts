import { describe, expect, it } from "vitest";
import { computeRunMetrics, nearestRank } from "./run-metrics";
import { output } from "./test-helpers";

describe("nearestRank", () => {
  it("returns an observed value at rank ceil(p/100 * n)", () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(ten, 50)).toBe(5);
    expect(nearestRank(ten, 95)).toBe(10);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 95)).toBe(95);
    expect(nearestRank([7], 50)).toBe(7);
    expect(nearestRank([3, 9], 0)).toBe(3);
    expect(nearestRank([], 50)).toBeUndefined();
  });
});

describe("computeRunMetrics", () => {
  const outputs = [
    output({ latencyMs: 300, promptTokens: 1000, completionTokens: 100 }),
    output({ latencyMs: 100, promptTokens: 3000, completionTokens: 300 }),
    output({ latencyMs: null, promptTokens: null, completionTokens: null }),
    output({ latencyMs: 200, promptTokens: 2000, completionTokens: null }),
  ];

  it("computes latency percentiles, tokens per call and cost per 1k calls, skipping nulls", () => {
    const m = computeRunMetrics(outputs, ["latency", "cost"], {
      inputPerMTok: 3,
      outputPerMTok: 15,
    });
    expect(m.latency_p50_ms).toBe(200);
    expect(m.latency_p95_ms).toBe(300);
    expect(m.prompt_tokens_per_call).toBe(2000);
    expect(m.completion_tokens_per_call).toBe(200);
    // Calls with both counts: (1000·3 + 100·15)/1e6 = 0.0045 and (3000·3 + 300·15)/1e6 = 0.0135.
    expect(m.cost_per_1k_usd).toBeCloseTo(9, 10);
  });

  it("leaves out cost without prices, and metrics of disabled scorers", () => {
    expect(computeRunMetrics(outputs, ["cost"], null)).toEqual({
      prompt_tokens_per_call: 2000,
      completion_tokens_per_call: 200,
    });
    expect(computeRunMetrics(outputs, ["tool_call"], null)).toEqual({});
  });

  it("leaves out a metric with no measurement", () => {
    expect(
      computeRunMetrics([output()], ["latency", "cost"], { inputPerMTok: 1, outputPerMTok: 1 }),
    ).toEqual({});
  });
});
