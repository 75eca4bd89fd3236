import { describe, expect, it } from "vitest";
import { workedCaseExplanationSchema } from "@/lib/schemas/economics";
import { planEconomics } from "./planner";
import { WORKED_CASE, workedCasePlannerInput } from "./presets";
import { explainWorkedCase, routineShareForRunningCost } from "./worked-case";

describe("the seed's worked case", () => {
  const input = workedCasePlannerInput();
  const x = explainWorkedCase();

  it("is 3M calls a month of 2,500 + 278 tokens on Claude 3.5 Sonnet", () => {
    expect(input.invocationsPerMonth).toBe(3_000_000);
    expect(input.tokensPerCall).toEqual({ input: 2_500, output: 278 });
    expect(input.frontier.id).toBe(WORKED_CASE.frontierPriceId);
    expect(workedCaseExplanationSchema.parse(x)).toEqual(x);
  });

  it("gives the reported $35,000 frontier-only within rounding", () => {
    // 3M × (2,500 × $3 + 278 × $15) / 10⁶ = 3M × $0.01167 = $35,010
    expect(x.frontierOnly.perCallUsd).toBeCloseTo(0.01167, 15);
    expect(x.frontierOnly.monthlyUsd).toBeCloseTo(35_010, 6);
    expect(Math.abs(x.frontierOnly.monthlyUsd - 35_000) / 35_000).toBeLessThan(0.0005);
    expect(planEconomics(input).monthly.frontierOnlyUsd).toBeCloseTo(35_010, 6);
    // exactly $35,000: (35,000 / 3M × 10⁶ − 2,500 × 3) / 15 = 277.78 output tokens
    expect(x.frontierOnly.exactOutputTokens).toBeCloseTo((35_000 / 3 - 7_500) / 15, 9);
  });

  it("shows that 20% escalated alone exceeds the reported $4,500 hybrid", () => {
    // 600,000 escalated × $0.01167 = $7,002
    expect(x.hybridAtReportedShare.frontierUsd).toBeCloseTo(7_002, 6);
    expect(x.hybridAtReportedShare.frontierUsd).toBeGreaterThan(4_500);
    // A10G: 2,500 tok/s × 3,600 × 0.5 ÷ 2,778 tokens = 1,619.87 calls per replica-hour;
    // 3M calls × $1.006 ÷ 1,619.87 = $1,863.11 (above the one-replica floor of $734.38)
    const serving = (3_000_000 * 1.006 * 2_778) / (2_500 * 3_600 * 0.5);
    expect(x.hybridAtReportedShare.servingUsd).toBeCloseTo(serving, 6);
    expect(x.hybridAtReportedShare.runningUsd).toBeCloseTo(7_002 + serving, 6);
  });

  it("computes the routine share at which $4,500 holds", () => {
    // free small model: (1 − r) × 35,010 = 4,500 → r = 1 − 4,500 / 35,010 = 0.87146
    expect(x.routineShareFor.freeSmallModel!).toBeCloseTo(1 - 4_500 / 35_010, 9);
    // one replica at its floor, 730 h × $1.006 = $734.38
    expect(x.routineShareFor.servingAtFloor!).toBeCloseTo(1 - (4_500 - 730 * 1.006) / 35_010, 9);
    // modelled serving, $1,863.11 whatever the share (the small model answers every call)
    const serving = (3_000_000 * 1.006 * 2_778) / (2_500 * 3_600 * 0.5);
    expect(x.routineShareFor.modelledServing!).toBeCloseTo(1 - (4_500 - serving) / 35_010, 9);
    expect(x.routineShareFor.modelledServing!).toBeGreaterThan(0.92);
    // or, at 80%: each of the 600,000 escalated calls may cost (4,500 − serving) / 600,000
    expect(x.escalationAtReportedShare.maxUsdPerEscalatedCall!).toBeCloseTo(
      (4_500 - serving) / 600_000,
      12,
    );
    expect(x.escalationAtReportedShare.maxCostFactor!).toBeCloseTo(
      (4_500 - serving) / 600_000 / 0.01167,
      9,
    );
  });

  it("says so in sentences", () => {
    const text = x.sentences.join(" ");
    expect(text).toContain("3,000,000 calls a month (100,000 a day × 30 days)");
    expect(text).toContain("$35,010 a month frontier-only");
    expect(text).toContain("277.8 output tokens");
    expect(text).toContain("$7,002 a month, more than the reported $4,500 hybrid");
    expect(text).toContain("at least 87.2% of calls"); // 87.146%, rounded up
    expect(text).toContain("37.6% of an average call"); // 37.64%, rounded down
    expect(x.pricesUsed.map((p) => p.id)).toEqual([
      "anthropic/claude-3-5-sonnet",
      "llama-3.1-8b/a10g",
    ]);
  });

  it("finds the share by bisection where it depends on the share, and says when none works", () => {
    // a router deciding up front: serving shrinks as escalations grow, so bisection is needed
    const upFront = {
      ...input,
      smallAttemptOnEscalated: 0,
      serving: { ...input.serving, replicas: 0 },
    };
    const r = routineShareForRunningCost(upFront, 4_500, "modelled")!;
    const perSmall = (1.006 * 2_778) / (2_500 * 3_600 * 0.5);
    // 3M × (r × perSmall + (1 − r) × 0.01167) = 4,500
    expect(r).toBeCloseTo((0.01167 - 4_500 / 3_000_000) / (0.01167 - perSmall), 9);
    expect(routineShareForRunningCost(input, 1_000, "modelled")).toBeNull();
    expect(
      explainWorkedCase(input, {
        hybridMonthlyUsd: 1_000,
        frontierOnlyMonthlyUsd: 35_000,
      }).sentences.join(" "),
    ).toContain("serving alone costs more");
  });
});
