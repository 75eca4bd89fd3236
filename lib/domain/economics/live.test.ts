import { describe, expect, it } from "vitest";
import { EMPTY_TOTALS, type WindowTotals } from "@/lib/domain/telemetry-metrics";
import {
  cadenceMonths,
  DAY_MS,
  DAYS_PER_MONTH,
  economicsTotals,
  liveEconomics,
  retuneSpend,
  type RetuneInput,
} from "./live";

const day = (partial: Partial<WindowTotals>): WindowTotals => ({ ...EMPTY_TOTALS, ...partial });

const QUARTERLY: RetuneInput["cadence"] = {
  months: 3,
  source: "default",
  schedule: null,
  timezone: null,
  description: "3 months (quarterly: the Model has no retrain policy)",
};
const RETUNE: RetuneInput = {
  cadence: QUARTERLY,
  training: { usd: 12, jobs: 3, jobsWithCost: 2, succeeded: 2 },
  eval: { usd: 3, runs: 4, runsWithCost: 1 },
};

describe("economicsTotals", () => {
  it("splits calls and cost by route and prices every costed call as an escalated one", () => {
    // 100 calls: 80 reported escalated (60 kept, 20 escalated), 90 reported a cost:
    // 55 kept calls $0.001 each, 20 escalated $0.01 each, 15 without a route $0.002 each.
    const t = economicsTotals(
      day({
        samples: 100,
        escalationKnown: 80,
        escalations: 20,
        costCount: 90,
        costSumUsd: 0.055 + 0.2 + 0.03,
        keptCostCount: 55,
        keptCostSumUsd: 0.055,
        escalatedCostCount: 20,
        escalatedCostSumUsd: 0.2,
      }),
    );
    expect(t).toMatchObject({
      calls: 100,
      routeKnown: 80,
      escalated: 20,
      kept: 60,
      costedCalls: 90,
      unattributedCostCalls: 15,
    });
    expect(t.costPerCall.kept.usd).toBeCloseTo(0.001, 15);
    expect(t.costPerCall.escalated.usd).toBeCloseTo(0.01, 15);
    expect(t.costPerCall.all.usd).toBeCloseTo(0.285 / 90, 15);
    expect(t.actualUsd).toBeCloseTo(0.285, 15);
    expect(t.frontierOnlyUsd).toBeCloseTo(0.9, 12); // 90 × $0.01
  });

  it("says null, not $0, when nothing reported a cost or no escalated call did", () => {
    const none = economicsTotals(EMPTY_TOTALS);
    expect(none.actualUsd).toBeNull();
    expect(none.frontierOnlyUsd).toBeNull();
    expect(none.costPerCall.all.usd).toBeNull();
    const keptOnly = economicsTotals(
      day({ samples: 5, costCount: 5, costSumUsd: 0.005, keptCostCount: 5, keptCostSumUsd: 0.005 }),
    );
    expect(keptOnly.actualUsd).toBeCloseTo(0.005, 15);
    expect(keptOnly.frontierOnlyUsd).toBeNull();
  });
});

describe("re-tune amortisation", () => {
  it("divides spend by succeeded tunes and spreads one over the cadence", () => {
    // ($12 + $3) / 2 tunes = $7.50 per tune; / 3 months = $2.50 a month; 30 days of it.
    const r = retuneSpend(RETUNE, 30);
    expect(r.perTuneUsd).toBe(7.5);
    expect(r.monthlyUsd).toBe(2.5);
    expect(r.windowUsd).toBeCloseTo((2.5 * 30) / 30.4375, 12);
  });
  it("is unknown before a tune has succeeded", () => {
    const r = retuneSpend({ ...RETUNE, training: { ...RETUNE.training, succeeded: 0 } }, 30);
    expect([r.perTuneUsd, r.monthlyUsd, r.windowUsd]).toEqual([null, null, null]);
  });
  it("reads months from a schedule's firings in a year", () => {
    expect(cadenceMonths(4, 365.25)).toBe(3);
    expect(cadenceMonths(12, 365.25)).toBe(1);
    expect(cadenceMonths(0, 365.25)).toBeNull();
    expect(DAYS_PER_MONTH).toBe(30.4375);
  });
});

describe("liveEconomics", () => {
  const to = Date.UTC(2026, 2, 11); // the window ends at midnight starting 11 March
  const d = (daysBefore: number) => to - daysBefore * DAY_MS;
  const byDay = new Map<number, WindowTotals>([
    // Yesterday: 10 kept calls at $0.001, 2 escalated at $0.02.
    [
      d(1),
      day({
        samples: 12,
        escalationKnown: 12,
        escalations: 2,
        costCount: 12,
        costSumUsd: 0.05,
        keptCostCount: 10,
        keptCostSumUsd: 0.01,
        escalatedCostCount: 2,
        escalatedCostSumUsd: 0.04,
      }),
    ],
    // Three days ago: 8 kept calls at $0.001, no escalation.
    [
      d(3),
      day({
        samples: 8,
        escalationKnown: 8,
        costCount: 8,
        costSumUsd: 0.008,
        keptCostCount: 8,
        keptCostSumUsd: 0.008,
      }),
    ],
    // 40 days ago, outside a 7-day window but in "to date": 5 escalated calls at $0.03.
    [
      d(40),
      day({
        samples: 5,
        escalationKnown: 5,
        escalations: 5,
        costCount: 5,
        costSumUsd: 0.15,
        escalatedCostCount: 5,
        escalatedCostSumUsd: 0.15,
      }),
    ],
  ]);

  it("matches a hand computation over the window, by day and to date", () => {
    const e = liveEconomics({ to, days: 7, byDay, retune: RETUNE });
    expect(e.window).toEqual({
      days: 7,
      from: new Date(d(7)).toISOString(),
      to: new Date(to).toISOString(),
    });
    expect(e.hasTelemetry).toBe(true);
    expect(e.totals.calls).toBe(20);
    expect(e.keptShare).toBeCloseTo(18 / 20, 15);
    expect(e.escalatedShare).toBeCloseTo(2 / 20, 15);
    expect(e.daysWithCalls).toBe(2);
    expect(e.callsPerDay).toBe(10);
    // Frontier per call: $0.04 / 2 = $0.02; 20 costed calls → $0.40. Actual $0.058.
    expect(e.totals.costPerCall.escalated.usd).toBeCloseTo(0.02, 15);
    expect(e.totals.costPerCall.kept.usd).toBeCloseTo(0.018 / 18, 15);
    expect(e.summary.actualUsd).toBeCloseTo(0.058, 15);
    expect(e.summary.frontierOnlyUsd).toBeCloseTo(0.4, 12);
    const retune7 = (2.5 * 7) / 30.4375;
    expect(e.summary.retuneUsd).toBeCloseTo(retune7, 12);
    expect(e.summary.hybridUsd).toBeCloseTo(0.058 + retune7, 12);
    expect(e.summary.savingsUsd).toBeCloseTo(0.4 - 0.058 - retune7, 12);

    expect(e.daily.map((x) => x.day)).toEqual(
      [7, 6, 5, 4, 3, 2, 1].map((k) => new Date(d(k)).toISOString()),
    );
    expect(e.daily.map((x) => x.calls)).toEqual([0, 0, 0, 0, 8, 0, 12]);
    expect(e.daily.map((x) => x.actualUsd)).toEqual([null, null, null, null, 0.008, null, 0.05]);
    expect(e.daily[4]!.frontierOnlyUsd).toBeCloseTo(8 * 0.02, 15);
    expect(e.daily[6]!.frontierOnlyUsd).toBeCloseTo(12 * 0.02, 15);
    expect(e.daily[0]!.frontierOnlyUsd).toBeNull();

    // To date: 25 calls, 7 escalated costing $0.19 → $0.19/7 per call; actual $0.208; spend $15.
    expect(e.toDate.since).toBe(new Date(d(40)).toISOString());
    expect(e.toDate.totals.calls).toBe(25);
    expect(e.toDate.totals.frontierOnlyUsd).toBeCloseTo((25 * 0.19) / 7, 12);
    expect(e.toDate.spendUsd).toBe(15);
    expect(e.toDate.savingsUsd).toBeCloseTo((25 * 0.19) / 7 - 0.208 - 15, 12);
    expect(e.basis.join(" ")).toMatch(/no token counts/);
  });

  it("leaves out rollups at or after the window's end, and says when there is no telemetry", () => {
    const e = liveEconomics({
      to: d(30),
      days: 3,
      byDay: new Map([[to, day({ samples: 4 })]]),
      retune: RETUNE,
    });
    expect(e.hasTelemetry).toBe(false);
    expect(e.callsPerDay).toBeNull();
    expect(e.keptShare).toBeNull();
    expect(e.summary).toEqual({
      actualUsd: null,
      retuneUsd: expect.any(Number),
      hybridUsd: null,
      frontierOnlyUsd: null,
      savingsUsd: null,
    });
    expect(e.toDate.since).toBeNull();
    expect(e.toDate.savingsUsd).toBeNull();
    expect(e.daily.every((x) => x.actualUsd === null && x.calls === 0)).toBe(true);
  });
});
