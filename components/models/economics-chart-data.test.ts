import { describe, expect, it } from "vitest";
import { economicsChartPoints, savingsPhrase } from "./economics-chart-data";

describe("economics chart data", () => {
  it("keeps days without telemetry as gaps, not zeros", () => {
    const points = economicsChartPoints([
      {
        day: "2026-03-09T00:00:00.000Z",
        calls: 0,
        escalated: 0,
        routeKnown: 0,
        costedCalls: 0,
        actualUsd: null,
        frontierOnlyUsd: null,
      },
      {
        day: "2026-03-10T00:00:00.000Z",
        calls: 12,
        escalated: 2,
        routeKnown: 12,
        costedCalls: 12,
        actualUsd: 0.05,
        frontierOnlyUsd: 0.24,
      },
    ]);
    expect(points).toEqual([
      { t: Date.UTC(2026, 2, 9), calls: 0, escalated: 0, actualUsd: null, frontierOnlyUsd: null },
      { t: Date.UTC(2026, 2, 10), calls: 12, escalated: 2, actualUsd: 0.05, frontierOnlyUsd: 0.24 },
    ]);
  });
  it("says savings in words", () => {
    const f = (n: number) => `$${n.toFixed(2)}`;
    expect(savingsPhrase(12.4, f)).toBe("saves $12.40");
    expect(savingsPhrase(-3.1, f)).toBe("costs $3.10 more");
    expect(savingsPhrase(null, f)).toBe("—");
  });
});
