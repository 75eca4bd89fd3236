/**
 * The proportional cost model behind the planner and the worked case. Everything is linear in
 * calls except one term: self-hosted replicas are billed whether or not they are busy, so the
 * serving bill is max(floor, proportional). Every function that prices something returns the
 * price entries it used, so a figure on a page can always say where it came from.
 *
 *   frontier per call   = input tokens × input $/MTok / 10⁶ + output tokens × output $/MTok / 10⁶
 *   replica capacity    = throughput tok/s × 3,600 × utilisation ÷ tokens per call   (calls/hour)
 *   small per call      = $/GPU-hour × GPUs per replica ÷ replica capacity
 *   serving / month     = max(replicas × $/replica-hour × 730, small calls × small per call)
 *   small calls         = N × (routine + (1 − routine) × smallAttemptOnEscalated)
 *   frontier / month    = N × (1 − routine) × frontier per call × escalatedTokenFactor
 *   re-tunes / month    = (training + eval + engineer weeks × loaded rate) per tune ÷ cadence months
 *   one-time            = engineers × weeks × loaded rate + project compute
 */
import type {
  FrontierCost,
  FrontierPrice,
  HybridMonthly,
  OneTimeCost,
  PlannerInput,
  ProjectEffort,
  Retune,
  RetuneCadence,
  SelfHostedCallCost,
  ServingMonthly,
  ServingPrice,
  Tokens,
} from "@/lib/schemas/economics";

/** Cloud providers bill a month of an always-on instance as 730 hours (8,760 ÷ 12). */
export const HOURS_PER_MONTH = 730;

/** Months between re-tunes; "never" amortises nothing (and the advisor warns about it). */
export const RETUNE_CADENCE_MONTHS: Record<RetuneCadence, number | null> = {
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
  never: null,
};

const MTOK = 1_000_000;

/** What a call costs on a frontier API at list prices. Linear, so it prices totals too. */
export function frontierCost(price: FrontierPrice, tokens: Tokens): FrontierCost {
  const usd =
    (tokens.input * price.inputUsdPerMTok + tokens.output * price.outputUsdPerMTok) / MTOK;
  return { usd, pricesUsed: [price] };
}

/** What one replica-hour costs. */
export function replicaUsdPerHour(serving: ServingPrice): number {
  return serving.usdPerGpuHour * serving.gpusPerReplica;
}

/**
 * The marginal cost of a call on self-hosted serving at the configured utilisation: a replica's
 * hour divided by the calls it serves in that hour. A call of zero tokens costs nothing.
 */
export function selfHostedCallCost(serving: ServingPrice, tokens: Tokens): SelfHostedCallCost {
  const tokensPerCall = tokens.input + tokens.output;
  const tokensPerHour = serving.throughputTokensPerSec * 3_600 * serving.utilisation;
  if (tokensPerCall === 0) return { usd: 0, callsPerReplicaHour: null, pricesUsed: [serving] };
  const callsPerReplicaHour = tokensPerHour / tokensPerCall;
  return {
    usd: replicaUsdPerHour(serving) / callsPerReplicaHour,
    callsPerReplicaHour,
    pricesUsed: [serving],
  };
}

/**
 * The month's serving bill for `calls` calls: the replicas kept running are paid in full (the
 * floor); beyond their capacity, extra replica-hours are bought in proportion (autoscaling).
 */
export function servingMonthly(
  serving: ServingPrice,
  calls: number,
  tokens: Tokens,
): ServingMonthly {
  const perCall = selfHostedCallCost(serving, tokens);
  const floorUsd = serving.replicas * replicaUsdPerHour(serving) * HOURS_PER_MONTH;
  const proportionalUsd = calls * perCall.usd;
  const averageReplicas =
    perCall.callsPerReplicaHour === null
      ? 0
      : calls / perCall.callsPerReplicaHour / HOURS_PER_MONTH;
  return {
    usd: Math.max(floorUsd, proportionalUsd),
    floorUsd,
    proportionalUsd,
    averageReplicas,
    pricesUsed: [serving],
  };
}

/** Spend of one re-tune, engineer time included. */
export function retuneUsdPerTune(retune: Retune, loadedUsdPerEngineerWeek: number): number {
  return (
    retune.trainingUsdPerTune +
    retune.evalUsdPerTune +
    retune.engineerWeeksPerTune * loadedUsdPerEngineerWeek
  );
}

/** A re-tune's spend spread over the months until the next one. */
export function amortisedRetuneMonthly(retune: Retune, loadedUsdPerEngineerWeek: number): number {
  const months = RETUNE_CADENCE_MONTHS[retune.cadence];
  return months === null ? 0 : retuneUsdPerTune(retune, loadedUsdPerEngineerWeek) / months;
}

/** The project itself: paid once, recovered by the monthly savings (payback). */
export function oneTimeCost(project: ProjectEffort): OneTimeCost {
  const engineeringUsd = project.engineers * project.weeks * project.loadedUsdPerEngineerWeek;
  return {
    engineeringUsd,
    computeUsd: project.computeUsd,
    totalUsd: engineeringUsd + project.computeUsd,
  };
}

/** Every call on the frontier at the average call's tokens: the counterfactual. */
export function frontierOnlyMonthly(input: PlannerInput): FrontierCost {
  const perCall = frontierCost(input.frontier, input.tokensPerCall);
  return { usd: input.invocationsPerMonth * perCall.usd, pricesUsed: perCall.pricesUsed };
}

/** Small model attempts per call: every routine call, plus escalated calls it answered first. */
export function smallAttemptShare(
  input: Pick<PlannerInput, "routineShare" | "smallAttemptOnEscalated">,
): number {
  return input.routineShare + (1 - input.routineShare) * input.smallAttemptOnEscalated;
}

/** The frontier's price of one escalated call (its tokens scaled by escalatedTokenFactor). */
export function escalatedFrontierUsd(input: PlannerInput): number {
  return frontierCost(input.frontier, input.tokensPerCall).usd * input.escalatedTokenFactor;
}

export function hybridMonthly(input: PlannerInput): HybridMonthly {
  const n = input.invocationsPerMonth;
  const smallCalls = n * smallAttemptShare(input);
  // n − n·r rather than n·(1 − r): 1 − 0.8 is 0.19999999999999996 in binary floating point.
  const escalatedCalls = n - n * input.routineShare;
  const serving = servingMonthly(input.serving, smallCalls, input.tokensPerCall);
  const frontierUsd = escalatedCalls * escalatedFrontierUsd(input);
  const retuneUsd = amortisedRetuneMonthly(input.retune, input.project.loadedUsdPerEngineerWeek);
  const runningUsd = serving.usd + frontierUsd;
  return {
    smallCalls,
    escalatedCalls,
    servingUsd: serving.usd,
    servingFloorUsd: serving.floorUsd,
    frontierUsd,
    runningUsd,
    retuneUsd,
    totalUsd: runningUsd + retuneUsd,
    pricesUsed: [input.frontier, input.serving],
  };
}
