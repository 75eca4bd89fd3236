import { describe, expect, it } from "vitest";
import { PROJECT_SHAPE_IDS, type PlannerInput } from "@/lib/schemas/economics";
import { frontierOnlyMonthly, hybridMonthly, oneTimeCost } from "./cost";
import { FRONTIER, SERVING, handInput } from "./hand-fixtures";
import { breakEvenInvocations, planEconomics } from "./planner";
import { projectEffort, workedCasePlannerInput } from "./presets";
import { seedPrice } from "./prices";
import { mulberry32 } from "../prng";

/** hybrid end to end − frontier-only at a volume: negative when the hybrid is cheaper. */
function gap(input: PlannerInput, n: number): number {
  const at = { ...input, invocationsPerMonth: n };
  return (
    hybridMonthly(at).totalUsd +
    oneTimeCost(input.project).totalUsd / input.horizonMonths -
    frontierOnlyMonthly(at).usd
  );
}

describe("payback", () => {
  it("is the one-time cost over the monthly savings", () => {
    // frontier-only $6,000 − hybrid $3,710 − re-tunes $2,066.67 = $223.33 a month; one-time $5,000
    const r = planEconomics(handInput());
    expect(r.monthly.frontierOnlyUsd).toBeCloseTo(6_000, 9);
    expect(r.monthly.savingsUsd).toBeCloseTo(6_000 - 3_710 - 6_200 / 3, 9);
    expect(r.paybackMonths).toBeCloseTo(5_000 / (6_000 - 3_710 - 6_200 / 3), 9);
    expect(r.pricesUsed).toEqual([FRONTIER, SERVING]);
  });
  it("is null when the hybrid saves nothing", () => {
    expect(planEconomics(handInput({ invocationsPerMonth: 100_000 })).paybackMonths).toBeNull();
  });
});

describe("break-even", () => {
  it("solves on the serving floor by hand", () => {
    // c = 0.006, b = 0.25 × 0.009 = 0.00225, a = 0.001, F = 1,460, R = 2,066.67:
    // N₁ = (F + R) / (c − b) = 3,526.67 / 0.00375 = 940,444; a·N₁ = 940 ≤ F, so N* = N₁
    const r = planEconomics(handInput());
    expect(r.breakEven.recurringInvocationsPerMonth).toBeCloseTo((1_460 + 6_200 / 3) / 0.00375, 4);
    // end to end adds $5,000 / 12 a month
    expect(r.breakEven.endToEndInvocationsPerMonth).toBeCloseTo(
      (1_460 + 6_200 / 3 + 5_000 / 12) / 0.00375,
      4,
    );
  });
  it("solves past the floor by hand", () => {
    // no replicas kept: F = 0, so N* = R / (c − a − b) = 2,066.67 / 0.00275
    const r = planEconomics(handInput({ serving: { ...SERVING, replicas: 0 } }));
    expect(r.breakEven.recurringInvocationsPerMonth).toBeCloseTo(6_200 / 3 / 0.00275, 4);
  });
  it("is null when a hybrid call costs at least a frontier call", () => {
    // small at $0.004 a call: a + b = 0.00625 > c = 0.006
    const input = handInput({ serving: { ...SERVING, usdPerGpuHour: 8 } });
    expect(planEconomics(input).breakEven.recurringInvocationsPerMonth).toBeNull();
    expect(planEconomics(input).breakEven.endToEndInvocationsPerMonth).toBeNull();
  });
  it("is where the costs meet, and payback there is the horizon", () => {
    const input = handInput();
    const r = planEconomics(input);
    const n = r.breakEven.endToEndInvocationsPerMonth!;
    expect(gap(input, n)).toBeCloseTo(0, 6);
    expect(planEconomics({ ...input, invocationsPerMonth: n }).paybackMonths).toBeCloseTo(
      input.horizonMonths,
      6,
    );
  });
  it("agrees with bisection on random inputs", () => {
    const rand = mulberry32(17);
    for (let i = 0; i < 200; i++) {
      const input = handInput({
        routineShare: rand(),
        escalatedTokenFactor: 0.5 + rand() * 1.5,
        smallAttemptOnEscalated: rand() < 0.5 ? 1 : rand(),
        serving: { ...SERVING, replicas: Math.floor(rand() * 4), usdPerGpuHour: 0.5 + rand() * 4 },
        project: {
          engineers: rand() * 5,
          weeks: rand() * 20,
          loadedUsdPerEngineerWeek: 5_000,
          computeUsd: rand() * 10_000,
        },
      });
      const n = breakEvenInvocations(input, 0);
      // bisection on [0, 10¹²] for the first volume where the running costs cross
      const g = (v: number) =>
        gap(
          {
            ...input,
            project: { ...input.project, engineers: 0, computeUsd: 0 },
            retune: { ...input.retune, cadence: "never" },
          },
          v,
        );
      if (g(1e12) > 0) {
        expect(n).toBeNull();
        continue;
      }
      let lo = 0;
      let hi = 1e12;
      for (let k = 0; k < 200; k++) {
        const mid = (lo + hi) / 2;
        if (g(mid) <= 0) hi = mid;
        else lo = mid;
      }
      expect(n).not.toBeNull();
      expect(Math.abs(n! - hi) / Math.max(1, hi)).toBeLessThan(1e-6);
    }
  });
});

describe("the seed's rule of thumb comes out of the inputs", () => {
  // "Below roughly 10M invocations per month, frontier-only is usually cheaper end to end."
  const sonnetAgent = workedCasePlannerInput();
  const gpt4oAgent: PlannerInput = {
    ...sonnetAgent,
    frontier: seedPrice("frontier", "openai/gpt-4o"),
    tokensPerCall: { input: 1_000, output: 200 },
  };
  it.each([
    ["a Sonnet agent (2,500 + 278 tokens)", sonnetAgent],
    ["a GPT-4o agent (1,000 + 200 tokens)", gpt4oAgent],
  ])("puts the end-to-end break-even of a hybrid project in the millions for %s", (_, input) => {
    const n = planEconomics(input).breakEven.endToEndInvocationsPerMonth!;
    expect(n).toBeGreaterThanOrEqual(1e6);
    expect(n).toBeLessThan(1e8);
    // below it frontier-only is cheaper end to end; above it the hybrid is
    for (const f of [0.1, 0.5, 0.99]) expect(gap(input, n * f)).toBeGreaterThan(0);
    for (const f of [1.01, 2, 10]) expect(gap(input, n * f)).toBeLessThan(0);
  });
  it.each(PROJECT_SHAPE_IDS)("holds either side of the break-even for the %s shape", (shape) => {
    const input = { ...sonnetAgent, project: projectEffort(shape, "mid") };
    const n = planEconomics(input).breakEven.endToEndInvocationsPerMonth!;
    expect(n).toBeGreaterThan(0);
    expect(gap(input, n * 0.9)).toBeGreaterThan(0);
    expect(gap(input, n * 1.1)).toBeLessThan(0);
  });
  it("grows with the project's size", () => {
    const at = (shape: (typeof PROJECT_SHAPE_IDS)[number]) =>
      planEconomics({ ...sonnetAgent, project: projectEffort(shape, "mid") }).breakEven
        .endToEndInvocationsPerMonth!;
    expect(at("tool_call_format")).toBeLessThan(at("hybrid_system"));
    expect(at("hybrid_system")).toBeLessThan(at("multi_tenant"));
  });
});

describe("sensitivity", () => {
  const r = planEconomics(workedCasePlannerInput());
  /** Consecutive pairs, for monotonicity checks. */
  const pairs = <T>(xs: readonly T[]): [T, T][] => xs.slice(1).map((x, i) => [xs[i]!, x]);

  it("by routine share: 0 to 1 in 5-point steps, the hybrid never dearer as the share grows", () => {
    const s = r.sensitivity.byRoutineShare;
    expect(s.map((p) => p.x)).toEqual(Array.from({ length: 21 }, (_, i) => i / 20));
    for (const [prev, cur] of pairs(s)) {
      expect(cur.hybridUsd).toBeLessThanOrEqual(prev.hybridUsd);
      expect(cur.frontierOnlyUsd).toBe(prev.frontierOnlyUsd);
    }
    const atInput = s[16]!; // x = 0.8, the input's share
    expect(atInput.hybridUsd).toBeCloseTo(r.monthly.hybrid.totalUsd, 6);
    expect(atInput.hybridEndToEndUsd - atInput.hybridUsd).toBeCloseTo(r.oneTime.totalUsd / 12, 6);
  });
  it("by volume: log-spaced, every cost non-decreasing, crossing once near the break-even", () => {
    const s = r.sensitivity.byVolume;
    expect(s[0]!.x).toBe(10 ** 4);
    expect(s.at(-1)!.x).toBe(10 ** 9);
    let crossings = 0;
    for (const [prev, cur] of pairs(s)) {
      expect(cur.x).toBeGreaterThan(prev.x);
      expect(cur.hybridUsd).toBeGreaterThanOrEqual(prev.hybridUsd);
      expect(cur.frontierOnlyUsd).toBeGreaterThan(prev.frontierOnlyUsd);
      const before = prev.hybridEndToEndUsd > prev.frontierOnlyUsd;
      const after = cur.hybridEndToEndUsd > cur.frontierOnlyUsd;
      if (before !== after) {
        crossings++;
        expect(before).toBe(true);
        expect(r.breakEven.endToEndInvocationsPerMonth!).toBeGreaterThan(prev.x);
        expect(r.breakEven.endToEndInvocationsPerMonth!).toBeLessThanOrEqual(cur.x);
      }
    }
    expect(crossings).toBe(1);
  });
});
