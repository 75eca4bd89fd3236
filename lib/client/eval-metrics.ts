import {
  CASE_METRICS,
  CONVERSATION_METRICS,
  higherIsBetter,
  METRIC_NAMES,
  type MetricName,
  type RunMetrics,
} from "@/lib/schemas/eval-metrics";

/** Names people read in tables and charts; the API name stays visible in tooltips and code. */
export const METRIC_LABEL: Record<MetricName, string> = {
  tool_call_accuracy: "Tool-call accuracy",
  tool_name_accuracy: "Tool-name accuracy",
  json_validity: "JSON validity",
  schema_validity: "Schema validity",
  exact_match: "Exact match",
  contains_match: "Contains match",
  conversation_success: "Conversation success",
  latency_p50_ms: "Latency p50",
  latency_p95_ms: "Latency p95",
  prompt_tokens_per_call: "Prompt tokens / call",
  completion_tokens_per_call: "Completion tokens / call",
  cost_per_1k_usd: "Cost / 1k calls",
};

/** The metrics the model and version pages lead with. */
export const HEADLINE_METRICS = [
  "tool_call_accuracy",
  "json_validity",
  "latency_p95_ms",
] as const satisfies readonly MetricName[];

export function isMetricName(s: string): s is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(s);
}

/**
 * A 0–1 score per case (or per conversation), averaged: shown as a percentage and charted on a
 * 0–1 axis.
 */
export function isRateMetric(metric: MetricName): boolean {
  return (
    (CASE_METRICS as readonly string[]).includes(metric) ||
    (CONVERSATION_METRICS as readonly string[]).includes(metric)
  );
}

export function metricLabel(metric: string): string {
  return isMetricName(metric) ? METRIC_LABEL[metric] : metric;
}

function finite(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** "87.5%", "412 ms", "$0.0042", "153.2"; "—" when absent. */
export function formatMetricValue(metric: string, v: number | null | undefined): string {
  if (!finite(v)) return "—";
  if (!isMetricName(metric)) return Number(v.toPrecision(4)).toString();
  if (isRateMetric(metric)) return `${(v * 100).toFixed(1)}%`;
  if (metric === "latency_p50_ms" || metric === "latency_p95_ms")
    return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
  if (metric === "cost_per_1k_usd") {
    if (v === 0) return "$0";
    return v < 0.01 ? `$${v.toPrecision(2)}` : `$${v.toFixed(2)}`;
  }
  return v >= 100 ? Math.round(v).toString() : v.toFixed(1);
}

export type DeltaDirection = "better" | "worse" | "same" | "unknown";

export type MetricDelta = {
  /** candidate − other, in the metric's unit; null when either side is missing. */
  delta: number | null;
  /** "+2.5 pts", "−40 ms", "±0"; "—" when unknown. */
  text: string;
  direction: DeltaDirection;
};

const MINUS = "−";

function signed(n: number, body: string): string {
  if (n > 0) return `+${body}`;
  if (n < 0) return `${MINUS}${body}`;
  return "±0";
}

/**
 * How the candidate moved relative to `other`, judged by whether higher is better for the
 * metric. Rates differ in percentage points; differences below half the shown precision are
 * "same" so a table never colours noise.
 */
export function metricDelta(
  metric: string,
  candidate: number | null | undefined,
  other: number | null | undefined,
): MetricDelta {
  if (!finite(candidate) || !finite(other)) return { delta: null, text: "—", direction: "unknown" };
  const delta = candidate - other;
  const known = isMetricName(metric);
  const rate = known && isRateMetric(metric);
  let text: string;
  let negligible: boolean;
  if (rate) {
    const pts = Math.abs(delta * 100);
    negligible = pts < 0.05;
    text = negligible ? "±0" : signed(delta, `${pts.toFixed(1)} pts`);
  } else {
    const abs = Math.abs(delta);
    negligible = abs < 1e-9 || (other !== 0 && abs / Math.abs(other) < 1e-4);
    const body = known ? formatMetricValue(metric, abs) : Number(abs.toPrecision(3)).toString();
    text = negligible ? "±0" : signed(delta, body);
  }
  if (negligible) return { delta, text, direction: "same" };
  const up = delta > 0;
  const better = known ? (higherIsBetter(metric) ? up : !up) : up;
  return { delta, text, direction: better ? "better" : "worse" };
}

/** Metric names present in any of the runs, in the catalogue's order (unknown ones last). */
export function metricsPresent(runs: readonly (RunMetrics | null | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r ?? {})) seen.add(k);
  const known = METRIC_NAMES.filter((m) => seen.has(m));
  const unknown = [...seen].filter((m) => !isMetricName(m)).sort();
  return [...known, ...unknown];
}

const CHANGE_ORDER = { broken: 0, fixed: 1, same: 2 } as const;

/** Cases whose outcome changed first (regressions before fixes), then by case index. */
export function sortCasesChangedFirst<
  T extends { change: keyof typeof CHANGE_ORDER; index: number },
>(cases: readonly T[]): T[] {
  return [...cases].sort(
    (a, b) => CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] || a.index - b.index,
  );
}

/** A gate threshold as people read it: "≥ 0.7", "≥ production − 0.01". */
export function formatCondition(c: {
  metric: string;
  op: string;
  threshold: number;
  relativeTo?: string;
}): string {
  const op = { ">=": "≥", "<=": "≤", ">": ">", "<": "<" }[c.op] ?? c.op;
  if (c.relativeTo === "production") {
    const t = c.threshold;
    const tail = t === 0 ? "" : ` ${t > 0 ? "+" : MINUS} ${Math.abs(t)}`;
    return `${op} production${tail}`;
  }
  return `${op} ${c.threshold}`;
}
