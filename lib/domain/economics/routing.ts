/**
 * Routing calibration from evals: the seed's "escalate when the small model's plan looks
 * unstable", made measurable. For each eval case we know whether the candidate (small model) and
 * the frontier were right, what each cost, whether the candidate's output was valid (parsed,
 * matched its schema, named a tool that exists) and how confident it was (mean or minimum token
 * log-probability). The rule: escalate when invalid, or when confidence < τ. Sweeping τ gives the
 * curve of kept share, hybrid accuracy and cost per 1,000 calls; the chosen τ is the cheapest
 * whose hybrid accuracy is within `margin` of frontier-only.
 *
 * Cost of an escalated call = frontier + candidate: with confidence-based routing the small
 * model has already answered (that answer is what was judged) before the call escalates.
 *
 * Two implementations on purpose: `applyRule` is the plain per-case loop an agent would run;
 * `sweepThresholds` sorts once and reads every τ off prefix sums (O(n log n + T log n) instead of
 * O(n·T)). Tests hold them equal, so the curve claims what the exported rule delivers.
 */
import {
  sweepOptionsSchema,
  type CalibrationCase,
  type ConfidenceSignal,
  type RoutingCurve,
  type RoutingOutcome,
  type RoutingPoint,
  type RoutingRule,
  type SweepOptions,
  type Threshold,
} from "@/lib/schemas/economics";

/**
 * The two confidence signals of one generation, from its tokens' log-probabilities (OpenAI's
 * `choices[].logprobs.content[].logprob`, or local generation's scores). The mean is summed
 * left to right, as the exported snippets do, so the numbers match to the last bit.
 */
export function confidenceSignals(tokenLogprobs: readonly number[] | null | undefined): {
  meanLogprob: number | null;
  minLogprob: number | null;
} {
  if (!tokenLogprobs || tokenLogprobs.length === 0) return { meanLogprob: null, minLogprob: null };
  let sum = 0;
  let min = Infinity;
  for (const x of tokenLogprobs) {
    sum += x;
    if (x < min) min = x;
  }
  return { meanLogprob: sum / tokenLogprobs.length, minLogprob: min };
}

export function confidenceOf(c: CalibrationCase, signal: ConfidenceSignal): number | null {
  return signal === "mean_logprob" ? c.meanLogprob : c.minLogprob;
}

/**
 * Whether a confidence passes τ. "-inf" passes everything, even a missing confidence (no
 * threshold, nothing to judge); "+inf" passes nothing; a finite τ needs a confidence ≥ τ, so an
 * output without log-probabilities escalates (nothing vouches for it).
 */
export function passes(confidence: number | null, threshold: Threshold): boolean {
  if (threshold === "-inf") return true;
  if (threshold === "+inf") return false;
  return confidence !== null && confidence >= threshold;
}

/** The rule's decision for one case. */
export function escalates(rule: RoutingRule, c: CalibrationCase): boolean {
  if (rule.escalateWhenInvalid && !c.valid) return true;
  return !passes(confidenceOf(c, rule.signal), rule.minConfidence);
}

function outcome(n: number, kept: number, correct: number, costUsd: number): RoutingOutcome {
  return {
    cases: n,
    kept,
    escalated: n - kept,
    keptShare: n === 0 ? 0 : kept / n,
    hybridAccuracy: n === 0 ? 0 : correct / n,
    costPer1kUsd: n === 0 ? 0 : (costUsd / n) * 1_000,
  };
}

/** Apply an exported rule to cases: the accuracy and cost an agent running it would get. */
export function applyRule(rule: RoutingRule, cases: readonly CalibrationCase[]): RoutingOutcome {
  let kept = 0;
  let correct = 0;
  let cost = 0;
  for (const c of cases) {
    if (escalates(rule, c)) {
      correct += c.frontierCorrect;
      cost += c.frontierCostUsd + c.candidateCostUsd;
    } else {
      kept++;
      correct += c.candidateCorrect;
      cost += c.candidateCostUsd;
    }
  }
  return outcome(cases.length, kept, correct, cost);
}

/**
 * τ candidates: "-inf", the observed confidences at `quantiles` evenly spaced ranks (lower
 * nearest rank, so every τ is a value some case has; duplicates dropped), and "+inf".
 */
export function thresholdCandidates(
  confidences: readonly number[],
  quantiles: number,
): Threshold[] {
  const sorted = [...confidences].sort((a, b) => a - b);
  const values: number[] = [];
  if (sorted.length > 0) {
    for (let k = 0; k <= quantiles; k++) {
      const v = sorted[Math.floor((k * (sorted.length - 1)) / quantiles)]!;
      if (values.at(-1) !== v) values.push(v);
    }
  }
  return ["-inf", ...values, "+inf"];
}

/** Index of the first element < τ in a descending array: how many are ≥ τ. */
function countAtLeast(desc: readonly number[], threshold: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (desc[mid]! >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function sweepThresholds(
  cases: readonly CalibrationCase[],
  options: SweepOptions = {},
): RoutingCurve {
  const { signal, margin, quantiles, escalateWhenInvalid } = sweepOptionsSchema.parse(options);
  const n = cases.length;

  // Start from "everything escalated"; keeping a case moves it from the escalated to the kept sums.
  let escCorrect = 0;
  let escCost = 0;
  let frontierCorrect = 0;
  let frontierCost = 0;
  let candidateCorrect = 0;
  let candidateCost = 0;
  for (const c of cases) {
    escCorrect += c.frontierCorrect;
    escCost += c.frontierCostUsd + c.candidateCostUsd;
    frontierCorrect += c.frontierCorrect;
    frontierCost += c.frontierCostUsd;
    candidateCorrect += c.candidateCorrect;
    candidateCost += c.candidateCostUsd;
  }

  // Keepable: not stopped by validity. Those with a confidence are kept from τ ≤ confidence on;
  // those without only at "-inf".
  const keepable = cases.filter((c) => !(escalateWhenInvalid && !c.valid));
  const scored = keepable
    .map((c) => ({ c, conf: confidenceOf(c, signal) }))
    .filter((x): x is { c: CalibrationCase; conf: number } => x.conf !== null)
    .sort((a, b) => b.conf - a.conf);
  const desc = scored.map((x) => x.conf);
  // dCorrect[k], dCost[k]: what keeping the k most confident scored cases changes.
  const dCorrect = [0];
  const dCost = [0];
  let runCorrect = 0;
  let runCost = 0;
  for (const { c } of scored) {
    runCorrect += c.candidateCorrect - c.frontierCorrect;
    runCost -= c.frontierCostUsd;
    dCorrect.push(runCorrect);
    dCost.push(runCost);
  }
  let unscoredCorrect = 0;
  let unscoredCost = 0;
  for (const c of keepable) {
    if (confidenceOf(c, signal) !== null) continue;
    unscoredCorrect += c.candidateCorrect - c.frontierCorrect;
    unscoredCost -= c.frontierCostUsd;
  }

  const confidences = cases
    .map((c) => confidenceOf(c, signal))
    .filter((x): x is number => x !== null);
  const points: RoutingPoint[] = thresholdCandidates(confidences, quantiles).map(
    (minConfidence) => {
      let kept: number;
      let correct: number;
      let cost: number;
      if (minConfidence === "+inf") {
        kept = 0;
        correct = escCorrect;
        cost = escCost;
      } else if (minConfidence === "-inf") {
        kept = keepable.length;
        correct = escCorrect + runCorrect + unscoredCorrect;
        cost = escCost + runCost + unscoredCost;
      } else {
        kept = countAtLeast(desc, minConfidence);
        correct = escCorrect + dCorrect[kept]!;
        cost = escCost + dCost[kept]!;
      }
      return { minConfidence, ...outcome(n, kept, correct, cost) };
    },
  );

  const frontierOnly = outcome(n, 0, frontierCorrect, frontierCost);
  const candidateOnly = outcome(n, n, candidateCorrect, candidateCost);
  // A hair of tolerance so that a point equal to the bar by arithmetic is not lost to rounding.
  const bar = frontierOnly.hybridAccuracy - margin - 1e-12;
  let chosenIndex: number | null = null;
  let chosen: RoutingPoint | null = null;
  for (const [i, p] of points.entries()) {
    if (n === 0 || p.hybridAccuracy < bar) continue;
    // Cheapest wins; on a tie the lower τ, which keeps more calls on the small model.
    if (chosen === null || p.costPer1kUsd < chosen.costPer1kUsd) {
      chosenIndex = i;
      chosen = p;
    }
  }

  return {
    signal,
    escalateWhenInvalid,
    margin,
    frontierOnly: {
      accuracy: frontierOnly.hybridAccuracy,
      costPer1kUsd: frontierOnly.costPer1kUsd,
    },
    candidateOnly: {
      accuracy: candidateOnly.hybridAccuracy,
      costPer1kUsd: candidateOnly.costPer1kUsd,
    },
    points,
    chosenIndex,
    chosenRule:
      chosen === null ? null : { escalateWhenInvalid, minConfidence: chosen.minConfidence, signal },
    chosenBeatsFrontierOnly: chosen !== null && chosen.costPer1kUsd < frontierOnly.costPer1kUsd,
  };
}
