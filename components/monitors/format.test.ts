import { describe, expect, it } from "vitest";
import { formatCondition, formatMonitorTick, formatMonitorValue, isShareMetric } from "./format";

describe("formatMonitorValue", () => {
  it("shows shares as percentages with one decimal, so a 10.4% vs 10% breach is visible", () => {
    expect(formatMonitorValue("tool_call_error_rate", 0.104)).toBe("10.4%");
    expect(formatMonitorValue("eval_score", 0.7)).toBe("70.0%");
    expect(isShareMetric("unseen_tool_share")).toBe(true);
    expect(isShareMetric("tool_psi")).toBe(false);
  });

  it("shows latency in ms (seconds from 10 s), cost in dollars and PSI with three decimals", () => {
    expect(formatMonitorValue("latency_p95_ms", 412.4)).toBe("412 ms");
    expect(formatMonitorValue("latency_p95_ms", 12_340)).toBe("12.3 s");
    expect(formatMonitorValue("cost_per_call_usd", 0.0042)).toBe("$0.0042");
    expect(formatMonitorValue("cost_per_call_usd", 1.5)).toBe("$1.50");
    expect(formatMonitorValue("cost_per_call_usd", 0)).toBe("$0");
    expect(formatMonitorValue("intent_psi", 0.2512)).toBe("0.251");
  });

  it("shows a dash for no value", () => {
    expect(formatMonitorValue("failure_rate", null)).toBe("—");
    expect(formatMonitorValue("failure_rate", Number.NaN)).toBe("—");
  });
});

describe("formatCondition / formatMonitorTick", () => {
  it("puts the comparator symbol before the threshold in the value's units", () => {
    expect(formatCondition("escalation_rate", "gt", 0.2)).toBe("> 20.0%");
    expect(formatCondition("eval_score", "lt", 0.65)).toBe("< 65.0%");
    expect(formatCondition("latency_p95_ms", "gte", 2000)).toBe("≥ 2000 ms");
  });

  it("keeps axis ticks short", () => {
    expect(formatMonitorTick("failure_rate", 0.125)).toBe("12.5%");
    expect(formatMonitorTick("latency_p95_ms", 450)).toBe("450 ms");
    expect(formatMonitorTick("tool_psi", 0.25)).toBe("0.25");
  });
});
