/**
 * Telemetry metrics from summed rollups. A rate's denominator is the events that reported the
 * field (an event without `toolCallValid` says nothing about tool calls), and that denominator
 * is the metric's sample count, which monitors compare with their minimum.
 */
import { quantileFromBuckets } from "./latency-histogram";

export type WindowTotals = {
  samples: number;
  failures: number;
  toolCalls: number;
  toolCallErrors: number;
  escalationKnown: number;
  escalations: number;
  latencyCount: number;
  latencySumMs: number;
  costCount: number;
  costSumUsd: number;
};

export const EMPTY_TOTALS: WindowTotals = {
  samples: 0,
  failures: 0,
  toolCalls: 0,
  toolCallErrors: 0,
  escalationKnown: 0,
  escalations: 0,
  latencyCount: 0,
  latencySumMs: 0,
  costCount: 0,
  costSumUsd: 0,
};

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
