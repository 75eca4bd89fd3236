import {
  CASE_METRICS,
  type CaseOutput,
  type CaseScores,
  type RunMetrics,
  type Scorer,
  type TokenPrices,
} from "@/lib/schemas/eval-metrics";
import { computeRunMetrics } from "./run-metrics";

export type AggregateOptions = { scorers: readonly Scorer[]; prices: TokenPrices | null };

/**
 * Each case metric as the mean of its 0/1 scores over the cases where it is present (absent
 * when no case has it), plus `counts`, the number of cases behind each mean, which gates need
 * for their minimum sample size.
 */
export function meanCaseMetrics(cases: readonly CaseScores[]): {
  metrics: RunMetrics;
  counts: Partial<Record<(typeof CASE_METRICS)[number], number>>;
} {
  const metrics: RunMetrics = {};
  const counts: Partial<Record<(typeof CASE_METRICS)[number], number>> = {};
  for (const metric of CASE_METRICS) {
    let n = 0;
    let sum = 0;
    for (const c of cases) {
      const s = c.scores[metric];
      if (s === undefined) continue;
      n++;
      sum += s;
    }
    if (n > 0) {
      metrics[metric] = sum / n;
      counts[metric] = n;
    }
  }
  return { metrics, counts };
}

/** A run's metrics: case-metric means plus the run metrics of the enabled scorers. */
export function aggregateRun(
  cases: readonly CaseScores[],
  outputs: readonly CaseOutput[],
  opts: AggregateOptions,
): RunMetrics {
  return {
    ...meanCaseMetrics(cases).metrics,
    ...computeRunMetrics(outputs, opts.scorers, opts.prices),
  };
}

/**
 * Case-metric means per slice value ("get_weather", "(no call)", or an intent), for per-slice
 * gate conditions. Cases without an intent are left out of the "intent" slicing.
 */
export function sliceMetrics(
  cases: readonly CaseScores[],
  by: "tool" | "intent",
): Record<string, { cases: number; metrics: RunMetrics }> {
  const groups = new Map<string, CaseScores[]>();
  for (const c of cases) {
    const key = c.slice[by];
    if (key === null) continue;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(c);
  }
  const out: Record<string, { cases: number; metrics: RunMetrics }> = {};
  for (const [key, group] of groups) {
    out[key] = { cases: group.length, metrics: meanCaseMetrics(group).metrics };
  }
  return out;
}
