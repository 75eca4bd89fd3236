/**
 * The "should we fine-tune?" planner: monthly cost of the hybrid against frontier-only, payback,
 * break-even volume and the sensitivity series the console charts. The seed's rule of thumb
 * ("below ~10M invocations a month, frontier-only is usually cheaper end to end") is not a
 * constant here: it is what breakEven.endToEndInvocationsPerMonth comes to for the inputs.
 *
 * Break-even, in closed form. As a function of monthly calls N, with
 *   c = frontier per call, b = (1 − routine) × escalated frontier per call,
 *   a = small attempts per call × small per call, F = serving floor, R = fixed monthly extras
 *   (re-tunes; for end to end also one-time ÷ horizon),
 * hybrid(N) − frontierOnly(N) = g(N) = max(F, aN) + bN + R − cN. g is convex and g(0) = F + R ≥ 0,
 * so {g ≤ 0} is [N*, ∞) or empty: empty when c ≤ a + b (a hybrid call costs at least a frontier
 * call, so fixed costs are never recovered). Otherwise g falls on the floor segment (aN ≤ F) with
 * root N₁ = (F + R)/(c − b), and beyond it (aN > F) with root N₂ = R/(c − a − b): N* is N₁ when
 * a·N₁ ≤ F, else N₂.
 */
import type {
  BreakEven,
  PlannerInput,
  PlannerResult,
  SensitivityPoint,
} from "@/lib/schemas/economics";
import {
  amortisedRetuneMonthly,
  escalatedFrontierUsd,
  frontierCost,
  frontierOnlyMonthly,
  hybridMonthly,
  oneTimeCost,
  selfHostedCallCost,
  servingMonthly,
  smallAttemptShare,
} from "./cost";

/**
 * Smallest monthly volume from which the hybrid costs no more than frontier-only, given fixed
 * monthly extras `fixedUsd` on the hybrid side; null when no volume gets there.
 */
export function breakEvenInvocations(input: PlannerInput, fixedUsd: number): number | null {
  const c = frontierCost(input.frontier, input.tokensPerCall).usd;
  const b = (1 - input.routineShare) * escalatedFrontierUsd(input);
  const a = smallAttemptShare(input) * selfHostedCallCost(input.serving, input.tokensPerCall).usd;
  const floor = servingMonthly(input.serving, 0, input.tokensPerCall).floorUsd;
  // No fixed costs: both sides start at $0, and the hybrid stays no dearer iff its call is.
  if (floor + fixedUsd <= 0) return c >= a + b ? 0 : null;
  if (c <= a + b) return null;
  const n1 = (floor + fixedUsd) / (c - b);
  if (a * n1 <= floor) return n1;
  return fixedUsd / (c - a - b);
}

function point(input: PlannerInput, x: number, oneTimePerMonth: number): SensitivityPoint {
  const hybrid = hybridMonthly(input).totalUsd;
  return {
    x,
    frontierOnlyUsd: frontierOnlyMonthly(input).usd,
    hybridUsd: hybrid,
    hybridEndToEndUsd: hybrid + oneTimePerMonth,
  };
}

/** Routine share from 0 to 1 in steps of 5 points. */
export function sensitivityByRoutineShare(input: PlannerInput): SensitivityPoint[] {
  const perMonth = oneTimeCost(input.project).totalUsd / input.horizonMonths;
  return Array.from({ length: 21 }, (_, i) => {
    const routineShare = i / 20;
    return point({ ...input, routineShare }, routineShare, perMonth);
  });
}

/**
 * Monthly volume on a log scale, four points a decade, from 10⁴ (or a decade below the input)
 * to 10⁹ (or a decade above it): agent volumes live in that range, and the break-even with it.
 */
export function sensitivityByVolume(input: PlannerInput): SensitivityPoint[] {
  const perMonth = oneTimeCost(input.project).totalUsd / input.horizonMonths;
  const decade = Math.log10(Math.max(input.invocationsPerMonth, 1));
  const lo = Math.max(0, Math.min(4, Math.floor(decade) - 1));
  const hi = Math.max(9, Math.ceil(decade) + 1);
  const out: SensitivityPoint[] = [];
  for (let k = lo * 4; k <= hi * 4; k++) {
    const n = Math.round(10 ** (k / 4));
    out.push(point({ ...input, invocationsPerMonth: n }, n, perMonth));
  }
  return out;
}

export function breakEven(input: PlannerInput): BreakEven {
  const retune = amortisedRetuneMonthly(input.retune, input.project.loadedUsdPerEngineerWeek);
  const perMonth = oneTimeCost(input.project).totalUsd / input.horizonMonths;
  return {
    recurringInvocationsPerMonth: breakEvenInvocations(input, retune),
    endToEndInvocationsPerMonth: breakEvenInvocations(input, retune + perMonth),
  };
}

export function planEconomics(input: PlannerInput): PlannerResult {
  const frontierOnly = frontierOnlyMonthly(input);
  const hybrid = hybridMonthly(input);
  const oneTime = oneTimeCost(input.project);
  const savingsUsd = frontierOnly.usd - hybrid.totalUsd;
  return {
    perCall: {
      frontierUsd: frontierCost(input.frontier, input.tokensPerCall).usd,
      escalatedFrontierUsd: escalatedFrontierUsd(input),
      smallUsd: selfHostedCallCost(input.serving, input.tokensPerCall).usd,
    },
    monthly: { frontierOnlyUsd: frontierOnly.usd, hybrid, savingsUsd },
    oneTime,
    paybackMonths: savingsUsd > 0 ? oneTime.totalUsd / savingsUsd : null,
    horizonMonths: input.horizonMonths,
    breakEven: breakEven(input),
    sensitivity: {
      byRoutineShare: sensitivityByRoutineShare(input),
      byVolume: sensitivityByVolume(input),
    },
    pricesUsed: [input.frontier, input.serving],
  };
}
