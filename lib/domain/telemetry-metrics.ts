/**
 * Telemetry metrics from summed rollups. A rate's denominator is the events that reported the
 * field (an event without `toolCallValid` says nothing about tool calls), and that denominator
 * is the metric's sample count, which monitors compare with their minimum.
 */
import { quantileFromBuckets } from "./latency-histogram";

/**
 * The per-minute sums a TelemetryRollup row holds, named as its columns: the ingest's upsert,
 * the rollup reads and the maths below all take this one list.
 */
export const ROLLUP_SUM_KEYS = [
  "samples",
  "failures",
  "toolCalls",
  "toolCallErrors",
  "escalationKnown",
  "escalations",
  "latencyCount",
  "latencySumMs",
  "costCount",
  "costSumUsd",
  // Cost split by route (escalated: false / true), for a Model's live economics: what a call the
  // small model kept costs next to one that went to the frontier. A call that did not report
  // `escalated` is in costCount / costSumUsd only.
  "keptCostCount",
  "keptCostSumUsd",
  "escalatedCostCount",
  "escalatedCostSumUsd",
] as const;

export type WindowTotals = Record<(typeof ROLLUP_SUM_KEYS)[number], number>;

export const EMPTY_TOTALS = Object.fromEntries(ROLLUP_SUM_KEYS.map((k) => [k, 0])) as WindowTotals;

export type RateMetric =
  | "tool_call_error_rate"
  | "escalation_rate"
  | "failure_rate"
  | "latency_p95_ms"
  | "cost_per_call_usd";

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

/** `{ value, samples }` of a rate, latency or cost metric; value null when nothing reported it. */
export function rateMetric(
  metric: RateMetric,
  t: WindowTotals,
  latencyBuckets: ReadonlyMap<number, number>,
): { value: number | null; samples: number } {
  switch (metric) {
    case "tool_call_error_rate":
      return { value: ratio(t.toolCallErrors, t.toolCalls), samples: t.toolCalls };
    case "escalation_rate":
      return { value: ratio(t.escalations, t.escalationKnown), samples: t.escalationKnown };
    case "failure_rate":
      return { value: ratio(t.failures, t.samples), samples: t.samples };
    case "latency_p95_ms":
      return { value: quantileFromBuckets(latencyBuckets, 0.95), samples: t.latencyCount };
    case "cost_per_call_usd":
      return { value: ratio(t.costSumUsd, t.costCount), samples: t.costCount };
  }
}
