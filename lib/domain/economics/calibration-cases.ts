/**
 * From two eval runs' stored case results (a candidate and a frontier model on the same suite)
 * to the `CalibrationCase`s routing.ts sweeps: per case, whether each was right, what each call
 * cost at the stated prices, whether the candidate's output was valid, and its confidence.
 *
 * Validity is what an agent can check at run time, before anyone knows the right answer, since
 * the exported rule runs there: the output is an error, a call that did not parse, a call to a
 * tool the case does not offer, arguments that are not a JSON object (json_validity) or do not
 * match the tool's schema (schema_validity) — or, for a case whose reference answer is a JSON
 * document, an answer that does not parse. A text answer where a call was expected is *not*
 * invalid: nothing at run time says a call was expected (json_validity scores it 0 for that
 * reason); it is wrong, and its confidence decides whether it escalates.
 */
import type { CalibrationCase } from "@/lib/schemas/economics";
import type { CaseExpected, CaseMetric, CaseOutput, CaseScores } from "@/lib/schemas/eval-metrics";
import type { CallPricing, RoutingCaseStats } from "@/lib/schemas/routing-calibration";
import { frontierCost, selfHostedCallCost } from "./cost";

/** One stored case result of a run (EvalCaseResult), as much of it as calibration reads. */
export type StoredCase = {
  index: number;
  passed: boolean;
  /** The tools the case offered (OpenAI format). */
  tools: readonly unknown[];
  expected: CaseExpected;
  output: CaseOutput;
  scores: CaseScores;
};

/**
 * When no metric is named: the call's correctness for a tool-calling suite, else the text match
 * the suite scores. Validity metrics come last: they say an answer is well-formed, not right.
 */
export const CORRECTNESS_METRICS: readonly CaseMetric[] = [
  "tool_call_accuracy",
  "exact_match",
  "contains_match",
  "tool_name_accuracy",
  "schema_validity",
  "json_validity",
];

/** The first metric of CORRECTNESS_METRICS both runs scored on some case; null when none is. */
export function pickMetric(
  candidate: readonly StoredCase[],
  frontier: readonly StoredCase[],
): CaseMetric | null {
  const scored = (cases: readonly StoredCase[], m: CaseMetric) =>
    cases.some((c) => c.scores.scores[m] !== undefined);
  return CORRECTNESS_METRICS.find((m) => scored(candidate, m) && scored(frontier, m)) ?? null;
}

/**
 * 1 or 0 by `metric`; a case where the metric does not apply (a greeting in a tool-calling
 * suite has no tool_call_accuracy) counts as right when every metric that applies passed.
 */
export function correctOf(c: StoredCase, metric: CaseMetric): 0 | 1 {
  const s = c.scores.scores[metric];
  if (s !== undefined) return s;
  return c.passed ? 1 : 0;
}

function toolNames(tools: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  for (const t of tools) {
    const name = (t as { function?: { name?: unknown } } | null)?.function?.name;
    if (typeof name === "string") names.add(name);
  }
  return names;
}

/** Whether the candidate's output passes the run-time validity check (see the file comment). */
export function outputValidity(c: StoredCase): { valid: boolean; reason: string | null } {
  const { output, scores } = c;
  if (output.error !== undefined) return { valid: false, reason: "the target returned an error" };
  if (output.toolCalls === null) return { valid: false, reason: "the tool call did not parse" };
  if (output.toolCalls.length > 0) {
    const offered = toolNames(c.tools);
    const unknown = output.toolCalls.find((call) => !offered.has(call.name));
    if (unknown) return { valid: false, reason: `${unknown.name} is not a tool the case offers` };
    if (scores.scores.json_validity === 0)
      return { valid: false, reason: "the call's arguments are not a JSON object" };
    if (scores.scores.schema_validity === 0)
      return { valid: false, reason: "the call's arguments do not match the tool's schema" };
    return { valid: true, reason: null };
  }
  // A text answer: checkable only when the reference is a JSON document (json_validity then
  // judges the text; for a case expecting a call it only says no call was made).
  if (c.expected.toolCalls.length === 0 && scores.scores.json_validity === 0)
    return { valid: false, reason: "the answer is not valid JSON" };
  return { valid: true, reason: null };
}

/**
 * What one call cost at `pricing`, from its token counts (a side that reported none, e.g. a
 * call that failed before the endpoint counted, costs nothing).
 */
export function callCostUsd(
  pricing: CallPricing,
  promptTokens: number | null,
  completionTokens: number | null,
): number {
  const tokens = { input: promptTokens ?? 0, output: completionTokens ?? 0 };
  if (pricing.source === "endpoint")
    return (
      (tokens.input * pricing.inputUsdPerMTok + tokens.output * pricing.outputUsdPerMTok) /
      1_000_000
    );
  const entry = pricing.entry;
  return entry.kind === "frontier"
    ? frontierCost(entry, tokens).usd
    : selfHostedCallCost(entry, tokens).usd;
}

/**
 * The calibration cases, pairing `candidate[i]` with `frontier[i]` (the caller checked that
 * they are the same cases, in index order), and what they were made of.
 */
export function calibrationCases(input: {
  candidate: readonly StoredCase[];
  frontier: readonly StoredCase[];
  metric: CaseMetric;
  prices: { candidate: CallPricing; frontier: CallPricing };
}): { cases: CalibrationCase[]; stats: RoutingCaseStats } {
  const { candidate, frontier, metric, prices } = input;
  if (candidate.length !== frontier.length)
    throw new Error(`${candidate.length} candidate cases but ${frontier.length} frontier cases`);
  const stats: RoutingCaseStats = {
    cases: candidate.length,
    withoutConfidence: 0,
    invalid: 0,
    candidateCorrect: 0,
    frontierCorrect: 0,
  };
  const cases = candidate.map((c, i): CalibrationCase => {
    const f = frontier[i]!;
    const { valid } = outputValidity(c);
    const candidateCorrect = correctOf(c, metric);
    const frontierCorrect = correctOf(f, metric);
    const lp = c.output.logprobs;
    if (!lp) stats.withoutConfidence++;
    if (!valid) stats.invalid++;
    stats.candidateCorrect += candidateCorrect;
    stats.frontierCorrect += frontierCorrect;
    return {
      id: String(c.index),
      candidateCorrect,
      frontierCorrect,
      meanLogprob: lp ? lp.mean : null,
      minLogprob: lp ? lp.min : null,
      valid,
      candidateCostUsd: callCostUsd(
        prices.candidate,
        c.output.promptTokens,
        c.output.completionTokens,
      ),
      frontierCostUsd: callCostUsd(
        prices.frontier,
        f.output.promptTokens,
        f.output.completionTokens,
      ),
    };
  });
  return { cases, stats };
}

/** "$0.8", "$15", "$0.075": a price as typed, without trailing zeros. */
function usd(n: number): string {
  return `$${Number(n.toPrecision(6)).toString()}`;
}

/** Which prices a side's calls were priced at, in one line (model card, version page). */
export function describePricing(pricing: CallPricing): string {
  if (pricing.source === "endpoint")
    return `${pricing.label}: the eval endpoint's prices, ${usd(pricing.inputUsdPerMTok)} / ${usd(pricing.outputUsdPerMTok)} per million input / output tokens`;
  const e = pricing.entry;
  if (e.kind === "frontier")
    return `${e.provider} ${e.model}: list price ${usd(e.inputUsdPerMTok)} / ${usd(e.outputUsdPerMTok)} per million input / output tokens, as of ${e.asOf}`;
  return (
    `${e.label}: ${e.gpusPerReplica} × ${e.gpuType} at ${usd(e.usdPerGpuHour)} per GPU-hour, ` +
    `${e.throughputTokensPerSec} tokens/s (${e.throughputBasis}) at ${Math.round(e.utilisation * 100)}% utilisation, as of ${e.asOf}`
  );
}
