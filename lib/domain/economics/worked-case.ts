/**
 * The seed's worked case against list prices. Reported: $4,500 a month hybrid (80% on a
 * fine-tuned Llama 3.1 8B, 20% to Claude 3.5 Sonnet) vs $35,000 frontier-only. Under a
 * proportional model the 20% escalated alone cost 20% × $35,000 = $7,000 > $4,500, so the
 * planner does not pretend to reproduce the figure: it says what it would take — the routine
 * share, or the price of an escalated call — for $4,500 to hold.
 *
 * "$4,500" is compared with the monthly run bill (serving + frontier API), the figure a report
 * of this kind quotes; re-tunes and the project itself are shown by the planner, not here.
 */
import type { PlannerInput, WorkedCaseExplanation } from "@/lib/schemas/economics";
import { frontierCost, hybridMonthly, servingMonthly } from "./cost";
import { WORKED_CASE, workedCasePlannerInput } from "./presets";

export type ServingAssumption = "free" | "floor" | "modelled";

/** The month's run bill at a routine share, with the small model's serving priced as asked. */
export function runningUsdAt(
  input: PlannerInput,
  routineShare: number,
  serving: ServingAssumption,
): number {
  const h = hybridMonthly({ ...input, routineShare });
  if (serving === "modelled") return h.runningUsd;
  const floor =
    serving === "floor" ? servingMonthly(input.serving, 0, input.tokensPerCall).floorUsd : 0;
  return floor + h.frontierUsd;
}

/**
 * Smallest routine share whose run bill is at most `targetUsd`; null when even 100% routine
 * costs more. Bisection, because the serving term is a max() and, when the small model does not
 * answer escalated calls first, depends on the share too; the run bill never rises with the
 * share as long as a small-model call is cheaper than a frontier one, which the bisection needs.
 */
export function routineShareForRunningCost(
  input: PlannerInput,
  targetUsd: number,
  serving: ServingAssumption,
): number | null {
  if (runningUsdAt(input, 0, serving) <= targetUsd) return 0;
  if (runningUsdAt(input, 1, serving) > targetUsd) return null;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (runningUsdAt(input, mid, serving) <= targetUsd) hi = mid;
    else lo = mid;
  }
  return hi;
}

const money = (usd: number, digits = 0) =>
  `$${usd.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
/** "At least" shares round up, so the sentence never promises less than the maths needs. */
const atLeastPct = (share: number) => `${(Math.ceil(share * 1000 - 1e-9) / 10).toFixed(1)}%`;
/** "At most" shares round down, for the same reason. */
const atMostPct = (share: number) => `${(Math.floor(share * 1000 + 1e-9) / 10).toFixed(1)}%`;
const pct = (share: number) => `${Math.round(share * 100)}%`;

export function explainWorkedCase(
  input: PlannerInput = workedCasePlannerInput(),
  reported: { hybridMonthlyUsd: number; frontierOnlyMonthlyUsd: number } = WORKED_CASE.reported,
): WorkedCaseExplanation {
  const n = input.invocationsPerMonth;
  const price = input.frontier;
  const perCall = frontierCost(price, input.tokensPerCall).usd;
  const frontierOnlyUsd = n * perCall;
  // Output tokens that, with the stated input tokens, make the bill exactly the reported one.
  const exactOutputTokens =
    ((reported.frontierOnlyMonthlyUsd / n) * 1_000_000 -
      input.tokensPerCall.input * price.inputUsdPerMTok) /
    price.outputUsdPerMTok;

  const h = hybridMonthly(input);
  const target = reported.hybridMonthlyUsd;
  const free = routineShareForRunningCost(input, target, "free");
  const floor = routineShareForRunningCost(input, target, "floor");
  const modelled = routineShareForRunningCost(input, target, "modelled");
  const floorUsd = servingMonthly(input.serving, 0, input.tokensPerCall).floorUsd;

  const escalated = h.escalatedCalls;
  const maxUsdPerEscalatedCall =
    escalated > 0 && target > h.servingUsd ? (target - h.servingUsd) / escalated : null;
  const maxCostFactor =
    maxUsdPerEscalatedCall === null || perCall === 0 ? null : maxUsdPerEscalatedCall / perCall;

  const t = input.tokensPerCall;
  const sentences = [
    `${n.toLocaleString("en-US")} calls a month` +
      (n === WORKED_CASE.invocationsPerDay * WORKED_CASE.daysPerMonth
        ? ` (${WORKED_CASE.invocationsPerDay.toLocaleString("en-US")} a day × ${WORKED_CASE.daysPerMonth} days).`
        : "."),
    `At ${price.model}'s list price (${money(price.inputUsdPerMTok, 2)} / ${money(price.outputUsdPerMTok, 2)} per ` +
      `million input / output tokens, as of ${price.asOf}), ${t.input.toLocaleString("en-US")} input + ` +
      `${t.output.toLocaleString("en-US")} output tokens cost ${money(perCall, 5)} a call: ` +
      `${money(frontierOnlyUsd)} a month frontier-only, against the reported ${money(reported.frontierOnlyMonthlyUsd)} ` +
      `(exactly that needs ${exactOutputTokens.toFixed(1)} output tokens a call on average).`,
    `With ${pct(input.routineShare)} routine, the ${pct(1 - input.routineShare)} escalated to the frontier alone ` +
      `cost ${money(h.frontierUsd)} a month${h.frontierUsd > target ? `, more than the reported ${money(target)} hybrid` : ""}; ` +
      `serving the small model — ${input.serving.label}, modelled at ${money(h.servingUsd)} a month — brings the run ` +
      `bill to ${money(h.runningUsd)}.`,
    free === null
      ? `Under this proportional model, no routine share brings the run bill down to ${money(target)} a month.`
      : `Under this proportional model, ${money(target)} a month holds only if the small model keeps ` +
        [
          `at least ${atLeastPct(free)} of calls even if it cost nothing to serve`,
          floor === null
            ? null
            : `${atLeastPct(floor)} with its replicas at their floor (${money(floorUsd)} a month)`,
          modelled === null ? null : `${atLeastPct(modelled)} with the modelled serving`,
        ]
          .filter((s): s is string => s !== null)
          .join(", ")
          .replace(/, ([^,]*)$/, ", or $1") +
        ".",
    maxUsdPerEscalatedCall === null || maxCostFactor === null
      ? `At ${pct(input.routineShare)} routine no price of an escalated call reaches ${money(target)}: serving alone costs more.`
      : `Or, at ${pct(input.routineShare)} routine, if an escalated call costs at most ${money(maxUsdPerEscalatedCall, 5)}, ` +
        `${atMostPct(maxCostFactor)} of an average call (shorter or cached prompts on escalation, or a cheaper frontier model).`,
  ];

  return {
    invocationsPerMonth: n,
    tokensPerCall: input.tokensPerCall,
    frontierOnly: {
      perCallUsd: perCall,
      monthlyUsd: frontierOnlyUsd,
      reportedUsd: reported.frontierOnlyMonthlyUsd,
      exactOutputTokens,
    },
    hybridAtReportedShare: {
      routineShare: input.routineShare,
      servingUsd: h.servingUsd,
      frontierUsd: h.frontierUsd,
      runningUsd: h.runningUsd,
      reportedUsd: target,
    },
    routineShareFor: { freeSmallModel: free, servingAtFloor: floor, modelledServing: modelled },
    escalationAtReportedShare: { maxUsdPerEscalatedCall, maxCostFactor },
    sentences,
    pricesUsed: [input.frontier, input.serving],
  };
}
