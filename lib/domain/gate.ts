import type { CaseMetric, CaseScores, MetricName, RunMetrics } from "@/lib/schemas/eval-metrics";
import type {
  CiCondition,
  GateCondition,
  GateConditionResult,
  GateEvaluation,
  GateOp,
  GatePolicy,
  GateStatus,
  IntervalResult,
  LeakageCheck,
  SliceCondition,
  SliceResult,
} from "@/lib/schemas/gates";
import { DEFAULT_BOOTSTRAP_SEED, pairedBootstrapCI } from "./bootstrap";

/** One side of the comparison: an eval run's metrics and its per-case scores, by case index. */
export type GateSide = { metrics: RunMetrics; cases: readonly CaseScores[] };

export const NO_PRODUCTION_NOTE = "no production version to compare with";

/** The missing evidence, in the words a refused promotion uses. */
export const NOT_EVALUATED_NOTE = "no evaluation of this version has finished";
export const NO_SUITE_NOTE = "the Model has no eval suite: set one to evaluate candidates";
export const NO_POLICY_NOTE = "the Model has no gate policy: add one to decide this version";
export const WAITING_NOTE = "waiting for the candidate's evaluation";

/** The state of a version's newest eval run on its Model's suite, as the gate reads it. */
export type OwnRun = {
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
  error?: string | null;
} | null;

/**
 * Metrics are means of 0/1 scores and sums like `production - 0.01` carry float noise
 * (0.7 - 0.01 = 0.6899999999999999), so comparisons tolerate this much in the candidate's favour
 * for >= / <= and demand it for > / <.
 */
const EPS = 1e-9;

/**
 * Evaluates a gate policy. NOT_EVALUATED while the candidate has no eval; FAILED when it scored
 * fewer cases than `minCases`, any condition fails, or the suite's cases overlap the candidate's
 * training data (`leakage.overlapping` > 0); PASSED otherwise. Everything is evaluated even after
 * a failure so the stored evidence is complete. `production` null means there is no production
 * version yet: comparisons with it pass with a note, since a first version cannot regress.
 * `leakage` undefined leaves the check out of the evidence (callers that make it always pass it).
 * Approval is not part of the gate; lib/server applies `requireApproval` after it.
 */
export function evaluateGate(input: {
  policy: GatePolicy;
  candidate: GateSide | null;
  production: GateSide | null;
  leakage?: LeakageCheck | null;
}): GateEvaluation {
  const { policy, candidate, production, leakage } = input;
  if (!candidate) return undecidedGate(policy, "NOT_EVALUATED", [NOT_EVALUATED_NOTE]);

  const failures: string[] = [];
  const caseCount = candidate.cases.length;
  const enoughCases = caseCount >= policy.minCases;
  if (!enoughCases)
    failures.push(
      `only ${caseCount} case${caseCount === 1 ? "" : "s"} evaluated; the policy needs at least ${policy.minCases}`,
    );

  const conditions = policy.conditions.map((c) => evaluateCondition(c, candidate, production));
  for (const c of conditions) if (!c.passed) failures.push(conditionFailure(c));

  const pairs = production ? pairCases(candidate.cases, production.cases) : [];
  const slices = policy.sliceConditions.flatMap((c) => evaluateSlices(c, pairs, production));
  for (const s of slices) if (!s.passed) failures.push(sliceFailure(s));

  const intervals = policy.ciConditions.map((c) => evaluateInterval(c, pairs, production));
  for (const i of intervals) if (!i.passed) failures.push(intervalFailure(i));

  const leak = leakage ? leakageFailure(leakage) : null;
  if (leak) failures.push(leak);

  return {
    status: failures.length > 0 ? "FAILED" : "PASSED",
    conditions,
    slices,
    intervals,
    caseCount,
    minCases: policy.minCases,
    enoughCases,
    failures,
    ...(leakage !== undefined ? { leakage } : {}),
  };
}

/**
 * A policy's gate before scores decide it: NOT_EVALUATED (no evidence) or PENDING (evidence on
 * its way), every condition unmet, `failures` naming what is missing.
 */
export function undecidedGate(
  policy: GatePolicy,
  status: "NOT_EVALUATED" | "PENDING",
  failures: string[],
): GateEvaluation {
  return {
    status,
    conditions: policy.conditions.map((c) => ({
      ...c,
      value: null,
      baseline: null,
      effectiveThreshold: c.relativeTo ? null : c.threshold,
      passed: false,
      note: "the candidate has not been evaluated yet",
    })),
    slices: [],
    intervals: [],
    caseCount: 0,
    minCases: policy.minCases,
    enoughCases: false,
    failures,
  };
}

/**
 * The gate of a version whose Model has no policy. Nothing decides it, so it never passes:
 * NOT_EVALUATED without a finished evaluation of its own (no suite, no run, or its newest run
 * failed), PENDING while one runs or once one has finished (the missing policy named).
 */
export function gateWithoutPolicy(input: { hasSuite: boolean; own: OwnRun }): {
  status: "NOT_EVALUATED" | "PENDING";
  failures: string[];
} {
  const { hasSuite, own } = input;
  if (!hasSuite)
    return {
      status: "NOT_EVALUATED",
      failures: [NOT_EVALUATED_NOTE, NO_SUITE_NOTE, NO_POLICY_NOTE],
    };
  if (!own) return { status: "NOT_EVALUATED", failures: [NOT_EVALUATED_NOTE, NO_POLICY_NOTE] };
  if (own.status === "QUEUED" || own.status === "RUNNING")
    return { status: "PENDING", failures: [WAITING_NOTE, NO_POLICY_NOTE] };
  if (own.status === "FAILED")
    return {
      status: "NOT_EVALUATED",
      failures: [
        `${NOT_EVALUATED_NOTE} (its newest evaluation failed: ${own.error ?? "no error recorded"})`,
        NO_POLICY_NOTE,
      ],
    };
  return { status: "PENDING", failures: [NO_POLICY_NOTE] };
}

/** "12 of 30 suite cases are in the candidate's training data (leakage)", or null when none. */
export function leakageFailure(l: LeakageCheck): string | null {
  if (l.overlapping === null || l.overlapping === 0) return null;
  const of = l.suiteCases === null ? "" : ` of ${l.suiteCases}`;
  return `${l.overlapping}${of} suite cases ${l.overlapping === 1 ? "is" : "are"} in the candidate's training data (leakage)`;
}

/**
 * Why a gate in this state keeps a version out of PRODUCTION (null: it does not). The sentence
 * names the missing evidence or the failing checks; a 409 carries it verbatim.
 */
export function gateBlocker(gate: {
  status: GateStatus;
  failures: readonly string[];
}): string | null {
  switch (gate.status) {
    case "PASSED":
      return null;
    case "NOT_EVALUATED":
      return `the version has not been evaluated: ${gate.failures.join("; ") || NOT_EVALUATED_NOTE}`;
    case "PENDING":
      return `the gate has not passed yet (${gate.failures.join("; ") || "pending"})`;
    case "FAILED":
      return `the gate failed: ${gate.failures.join("; ")}`;
  }
}

export function compare(value: number, op: GateOp, threshold: number): boolean {
  switch (op) {
    case ">=":
      return value >= threshold - EPS;
    case "<=":
      return value <= threshold + EPS;
    case ">":
      return value > threshold + EPS;
    case "<":
      return value < threshold - EPS;
  }
}

/** Why a run may lack a metric, where the reason is not obvious from its name. */
const WHY_MISSING: Partial<Record<MetricName, string>> = {
  conversation_success: ' (only suites that evaluate every turn, turns "all", report it)',
};

const NEGATED: Record<GateOp, string> = { ">=": "<", "<=": ">", ">": "≤", "<": "≥" };

function evaluateCondition(
  c: GateCondition,
  candidate: GateSide,
  production: GateSide | null,
): GateConditionResult {
  const value = candidate.metrics[c.metric] ?? null;
  const base = { ...c, value, baseline: null, effectiveThreshold: null };
  if (value === null)
    return {
      ...base,
      passed: false,
      note: `the candidate run has no ${c.metric}${WHY_MISSING[c.metric] ?? ""}`,
    };
  if (!c.relativeTo)
    return { ...base, effectiveThreshold: c.threshold, passed: compare(value, c.op, c.threshold) };
  if (!production) return { ...base, passed: true, note: NO_PRODUCTION_NOTE };
  const baseline = production.metrics[c.metric] ?? null;
  // Production exists but was not scored on this metric: the comparison the policy asks for
  // cannot be made, and passing silently could let a regression through.
  if (baseline === null)
    return {
      ...base,
      passed: false,
      note: `the production run has no ${c.metric} to compare with`,
    };
  const effectiveThreshold = round(baseline + c.threshold);
  return {
    ...base,
    baseline,
    effectiveThreshold,
    passed: compare(value, c.op, effectiveThreshold),
  };
}

type Pair = { candidate: CaseScores; production: CaseScores };

/** Same suite, same case indexes: cases present on one side only are left out. */
function pairCases(candidate: readonly CaseScores[], production: readonly CaseScores[]): Pair[] {
  const n = Math.min(candidate.length, production.length);
  const pairs: Pair[] = [];
  for (let i = 0; i < n; i++)
    pairs.push({ candidate: candidate[i] as CaseScores, production: production[i] as CaseScores });
  return pairs;
}

/** Pairs where both sides have a score for the metric (it may not apply to every case). */
function scoredPairs(pairs: readonly Pair[], metric: CaseMetric) {
  const out: { c: number; p: number; pair: Pair }[] = [];
  for (const pair of pairs) {
    const c = pair.candidate.scores[metric];
    const p = pair.production.scores[metric];
    if (c !== undefined && p !== undefined) out.push({ c, p, pair });
  }
  return out;
}

function evaluateSlices(
  cond: SliceCondition,
  pairs: readonly Pair[],
  production: GateSide | null,
): SliceResult[] {
  const common = { metric: cond.metric, by: cond.by, maxRegression: cond.maxRegression };
  if (!production)
    return [
      {
        ...common,
        key: "*",
        candidate: null,
        production: null,
        regression: null,
        cases: 0,
        skipped: true,
        passed: true,
        note: NO_PRODUCTION_NOTE,
      },
    ];
  const scored = scoredPairs(pairs, cond.metric);
  // Nothing to compare means the policy's check cannot be made: fail rather than pass blind.
  if (scored.length === 0)
    return [
      {
        ...common,
        key: "*",
        candidate: null,
        production: null,
        regression: null,
        cases: 0,
        skipped: false,
        passed: false,
        note: `no cases scored on ${cond.metric} in both the candidate and production runs`,
      },
    ];
  const groups = new Map<string, { c: number; p: number }[]>();
  for (const s of scored) {
    // The candidate's slice keys: both runs scored the same suite row, so they agree.
    const key = s.pair.candidate.slice[cond.by];
    // No intent, no category, or a first-turn suite's case under "turn": not in this slicing.
    if (key === null || key === undefined) continue;
    const group = groups.get(key) ?? [];
    group.push(s);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => {
      const candidate = mean(group.map((g) => g.c));
      const prod = mean(group.map((g) => g.p));
      const regression = round(prod - candidate);
      const row = { ...common, key, candidate, production: prod, regression, cases: group.length };
      if (group.length < cond.minCasesPerSlice)
        return {
          ...row,
          skipped: true,
          passed: true,
          note: `fewer than ${cond.minCasesPerSlice} paired cases`,
        };
      return { ...row, skipped: false, passed: regression <= cond.maxRegression + EPS };
    });
}

function evaluateInterval(
  cond: CiCondition,
  pairs: readonly Pair[],
  production: GateSide | null,
): IntervalResult {
  const base = {
    metric: cond.metric,
    confidence: cond.confidence,
    minLowerBound: cond.minLowerBound,
    lower: null,
    upper: null,
    mean: null,
  };
  if (!production) return { ...base, cases: 0, passed: true, note: NO_PRODUCTION_NOTE };
  const scored = scoredPairs(pairs, cond.metric);
  const ci = pairedBootstrapCI({
    candidate: scored.map((s) => s.c),
    production: scored.map((s) => s.p),
    confidence: cond.confidence,
    resamples: cond.resamples,
    seed: DEFAULT_BOOTSTRAP_SEED,
  });
  if (!ci)
    return {
      ...base,
      cases: 0,
      passed: false,
      note: `no cases scored on ${cond.metric} in both the candidate and production runs`,
    };
  const lower = round(ci.lower);
  return {
    ...base,
    lower,
    upper: round(ci.upper),
    mean: round(ci.mean),
    cases: ci.n,
    passed: lower > cond.minLowerBound + EPS,
  };
}

function conditionFailure(c: GateConditionResult): string {
  if (c.value === null || c.effectiveThreshold === null)
    return `${c.metric}: ${c.note ?? "no value"}`;
  const rel =
    c.relativeTo && c.baseline !== null
      ? ` (production ${formatMetricValue(c.baseline)} ${c.threshold < 0 ? "−" : "+"} ${formatMetricValue(Math.abs(c.threshold))})`
      : "";
  return `${c.metric} ${formatMetricValue(c.value)} ${NEGATED[c.op]} ${formatMetricValue(c.effectiveThreshold)}${rel}`;
}

function sliceFailure(s: SliceResult): string {
  if (s.regression === null) return `slice ${s.by}: ${s.metric}: ${s.note ?? "no value"}`;
  return `slice ${s.by}=${s.key}: ${s.metric} fell ${formatMetricValue(s.regression ?? 0)} (> ${formatMetricValue(s.maxRegression)})`;
}

function intervalFailure(i: IntervalResult): string {
  if (i.lower === null || i.upper === null) return `${i.metric}: ${i.note ?? "no interval"}`;
  const pct = `${Math.round(i.confidence * 1000) / 10}%`;
  return `${i.metric}: ${pct} CI of the difference from production [${formatMetricValue(i.lower)}, ${formatMetricValue(i.upper)}] has lower bound ${formatMetricValue(i.lower)} ≤ ${formatMetricValue(i.minLowerBound)}`;
}

function mean(xs: readonly number[]): number {
  return round(xs.reduce((s, x) => s + x, 0) / xs.length);
}

/** Stored evidence should read 0.69, not 0.6899999999999999. */
function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

/**
 * Two to four decimals, as few as represent the value: 0.7 → "0.70", 0.695 → "0.695",
 * 412 → "412". Used in failure sentences, model cards and notifications.
 */
export function formatMetricValue(x: number): string {
  if (Number.isInteger(x)) return String(x);
  for (let d = 2; d < 4; d++) if (Math.abs(Number(x.toFixed(d)) - x) < 1e-9) return x.toFixed(d);
  return x.toFixed(4);
}
