import { describe, expect, it } from "vitest";
import {
  amortisedRetuneMonthly,
  frontierCost,
  frontierOnlyMonthly,
  hybridMonthly,
  oneTimeCost,
  retuneUsdPerTune,
  selfHostedCallCost,
  servingMonthly,
} from "./cost";
import { FRONTIER, SERVING, TOKENS, handInput } from "./hand-fixtures";
import { SEED_PRICES, seedPrice } from "./prices";

describe("seeded prices", () => {
  it("parse, are dated and sourced, and include the worked case's", () => {
    expect(SEED_PRICES.length).toBeGreaterThanOrEqual(9);
    for (const p of SEED_PRICES) {
      expect(p.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.source.length).toBeGreaterThan(20);
    }
    const sonnet = seedPrice("frontier", "anthropic/claude-3-5-sonnet");
    expect([sonnet.inputUsdPerMTok, sonnet.outputUsdPerMTok]).toEqual([3, 15]);
    for (const gpu of ["A10G-24GB", "L4-24GB", "A100-80GB", "H100-80GB"]) {
      expect(SEED_PRICES.some((p) => p.kind === "self_hosted" && p.gpuType === gpu)).toBe(true);
    }
  });
  it("mark assumed throughput as configured, never as measured", () => {
    for (const p of SEED_PRICES)
      if (p.kind === "self_hosted") expect(p.throughputBasis).toBe("configured");
  });
});

describe("frontier cost", () => {
  it("prices tokens at list price per million and says which price it used", () => {
    // 800 × $5/M + 100 × $20/M = $0.004 + $0.002
    const c = frontierCost(FRONTIER, TOKENS);
    expect(c.usd).toBeCloseTo(0.006, 15);
    expect(c.pricesUsed).toEqual([FRONTIER]);
    expect(frontierCost(FRONTIER, { input: 1_000_000, output: 1_000_000 }).usd).toBe(25);
  });
  it("is the worked case's $0.01167 a call at Claude 3.5 Sonnet's $3 / $15", () => {
    const sonnet = seedPrice("frontier", "anthropic/claude-3-5-sonnet");
    // 2,500 × 3 / 10⁶ + 278 × 15 / 10⁶ = 0.0075 + 0.00417
    expect(frontierCost(sonnet, { input: 2_500, output: 278 }).usd).toBeCloseTo(0.01167, 15);
  });
});

describe("self-hosted cost", () => {
  it("divides the replica-hour by the calls it serves at the configured utilisation", () => {
    // 1,000 tok/s × 3,600 × 0.5 = 1.8M tokens an hour ÷ 900 = 2,000 calls; $2 / 2,000 = $0.001
    const c = selfHostedCallCost(SERVING, TOKENS);
    expect(c.callsPerReplicaHour).toBeCloseTo(2_000, 9);
    expect(c.usd).toBeCloseTo(0.001, 15);
    expect(c.pricesUsed).toEqual([SERVING]);
    expect(selfHostedCallCost({ ...SERVING, gpusPerReplica: 2 }, TOKENS).usd).toBeCloseTo(
      0.002,
      15,
    );
    expect(selfHostedCallCost(SERVING, { input: 0, output: 0 })).toEqual({
      usd: 0,
      callsPerReplicaHour: null,
      pricesUsed: [SERVING],
    });
  });
  it("bills the floor of running replicas until traffic outgrows them", () => {
    // floor: 1 replica × $2 × 730 h = $1,460
    const quiet = servingMonthly(SERVING, 1_000_000, TOKENS);
    expect(quiet.floorUsd).toBe(1_460);
    expect(quiet.proportionalUsd).toBeCloseTo(1_000, 9);
    expect(quiet.usd).toBe(1_460);
    const busy = servingMonthly(SERVING, 3_000_000, TOKENS);
    expect(busy.usd).toBeCloseTo(3_000, 9);
    // 3M calls ÷ 2,000 an hour ÷ 730 h
    expect(busy.averageReplicas).toBeCloseTo(3_000_000 / 2_000 / 730, 12);
    expect(servingMonthly({ ...SERVING, replicas: 3 }, 3_000_000, TOKENS).usd).toBe(4_380);
    expect(servingMonthly({ ...SERVING, replicas: 0 }, 0, TOKENS).usd).toBe(0);
  });
});

describe("amortisation and one-time cost", () => {
  it("spreads a re-tune's training, eval and engineer time over the cadence", () => {
    const retune = {
      cadence: "quarterly" as const,
      trainingUsdPerTune: 900,
      evalUsdPerTune: 300,
      engineerWeeksPerTune: 1,
    };
    expect(retuneUsdPerTune(retune, 5_000)).toBe(6_200);
    expect(amortisedRetuneMonthly(retune, 5_000)).toBeCloseTo(6_200 / 3, 12);
    expect(amortisedRetuneMonthly({ ...retune, cadence: "monthly" }, 5_000)).toBe(6_200);
    expect(amortisedRetuneMonthly({ ...retune, cadence: "semiannual" }, 5_000)).toBeCloseTo(
      6_200 / 6,
      12,
    );
    expect(amortisedRetuneMonthly({ ...retune, cadence: "annual" }, 5_000)).toBeCloseTo(
      6_200 / 12,
      12,
    );
    expect(amortisedRetuneMonthly({ ...retune, cadence: "never" }, 5_000)).toBe(0);
  });
  it("prices the project as engineers × weeks × loaded rate plus compute", () => {
    expect(
      oneTimeCost({ engineers: 4, weeks: 14, loadedUsdPerEngineerWeek: 5_000, computeUsd: 6_000 }),
    ).toEqual({
      engineeringUsd: 280_000,
      computeUsd: 6_000,
      totalUsd: 286_000,
    });
  });
});

describe("hybrid monthly cost (proportional model)", () => {
  it("matches a hand computation", () => {
    const h = hybridMonthly(handInput());
    // small answers every call: 1M × $0.001 = $1,000 < floor $1,460 → $1,460
    expect(h.smallCalls).toBe(1_000_000);
    expect(h.servingUsd).toBe(1_460);
    // 250,000 escalated × $0.006 × 1.5
    expect(h.escalatedCalls).toBe(250_000);
    expect(h.frontierUsd).toBeCloseTo(2_250, 9);
    expect(h.runningUsd).toBeCloseTo(3_710, 9);
    expect(h.retuneUsd).toBeCloseTo(6_200 / 3, 9);
    expect(h.totalUsd).toBeCloseTo(3_710 + 6_200 / 3, 9);
    expect(h.pricesUsed).toEqual([FRONTIER, SERVING]);
    expect(frontierOnlyMonthly(handInput()).usd).toBeCloseTo(6_000, 9);
  });
  it("charges the small model's attempt on escalated calls only as configured", () => {
    // a router deciding up front: the small model sees only the 750,000 routine calls
    const h = hybridMonthly(
      handInput({ smallAttemptOnEscalated: 0, serving: { ...SERVING, replicas: 0 } }),
    );
    expect(h.smallCalls).toBe(750_000);
    expect(h.servingUsd).toBeCloseTo(750, 9);
    const attempted = hybridMonthly(handInput({ serving: { ...SERVING, replicas: 0 } }));
    expect(attempted.servingUsd).toBeCloseTo(1_000, 9);
  });
});
