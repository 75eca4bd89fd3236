import { describe, expect, it } from "vitest";
import {
  formatCondition,
  formatMetricValue,
  metricDelta,
  metricsPresent,
  sortCasesChangedFirst,
} from "./eval-metrics";

describe("formatMetricValue", () => {
  it("shows rates as percentages and run metrics in their unit", () => {
    expect(formatMetricValue("tool_call_accuracy", 0.875)).toBe("87.5%");
    expect(formatMetricValue("latency_p95_ms", 412.4)).toBe("412 ms");
    expect(formatMetricValue("latency_p95_ms", 12_300)).toBe("12.3 s");
    expect(formatMetricValue("cost_per_1k_usd", 0.0042)).toBe("$0.0042");
    expect(formatMetricValue("cost_per_1k_usd", 1.5)).toBe("$1.50");
    expect(formatMetricValue("prompt_tokens_per_call", 153.24)).toBe("153");
    expect(formatMetricValue("completion_tokens_per_call", 12.34)).toBe("12.3");
  });
  it("says — for missing values", () => {
    expect(formatMetricValue("json_validity", null)).toBe("—");
    expect(formatMetricValue("json_validity", undefined)).toBe("—");
    expect(formatMetricValue("json_validity", Number.NaN)).toBe("—");
  });
});

describe("metricDelta", () => {
  it("judges accuracies higher-is-better in percentage points", () => {
    expect(metricDelta("tool_call_accuracy", 0.9, 0.85)).toMatchObject({
      text: "+5.0 pts",
      direction: "better",
    });
    expect(metricDelta("tool_call_accuracy", 0.8, 0.85)).toMatchObject({
      text: "−5.0 pts",
      direction: "worse",
    });
  });
  it("judges latency and cost lower-is-better", () => {
    expect(metricDelta("latency_p95_ms", 300, 340)).toMatchObject({
      text: "−40 ms",
      direction: "better",
    });
    expect(metricDelta("cost_per_1k_usd", 0.02, 0.01).direction).toBe("worse");
  });
  it("calls equal values the same and missing values unknown", () => {
    expect(metricDelta("json_validity", 0.9, 0.9)).toMatchObject({ text: "±0", direction: "same" });
    expect(metricDelta("json_validity", null, 0.9)).toEqual({
      delta: null,
      text: "—",
      direction: "unknown",
    });
  });
});

describe("sortCasesChangedFirst", () => {
  it("puts regressions, then fixes, then unchanged cases, each by index", () => {
    const cases = [
      { index: 0, change: "same" as const },
      { index: 1, change: "fixed" as const },
      { index: 2, change: "broken" as const },
      { index: 3, change: "fixed" as const },
      { index: 4, change: "broken" as const },
    ];
    expect(sortCasesChangedFirst(cases).map((c) => c.index)).toEqual([2, 4, 1, 3, 0]);
  });
});

describe("metricsPresent", () => {
  it("lists metrics of any run in catalogue order", () => {
    expect(
      metricsPresent([{ latency_p95_ms: 1 }, { tool_call_accuracy: 0.5 }, null, undefined]),
    ).toEqual(["tool_call_accuracy", "latency_p95_ms"]);
  });
});

describe("formatCondition", () => {
  it("renders absolute and relative thresholds", () => {
    expect(formatCondition({ metric: "x", op: ">=", threshold: 0.7 })).toBe("≥ 0.7");
    expect(
      formatCondition({ metric: "x", op: ">=", threshold: -0.01, relativeTo: "production" }),
    ).toBe("≥ production − 0.01");
    expect(formatCondition({ metric: "x", op: "<=", threshold: 0, relativeTo: "production" })).toBe(
      "≤ production",
    );
  });
});
