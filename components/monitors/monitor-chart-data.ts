import { niceScale, type NiceScale } from "@/lib/domain/nice-ticks";
import type { MonitorMetric } from "@/lib/schemas/monitors";
import type { TelemetryPoint } from "@/lib/schemas/telemetry";
import type { CheckPoint } from "./chart-data";
import { formatMonitorValue, isShareMetric } from "./format";

/**
 * The monitor page's chart data: the monitored metric's series from the telemetry rollups
 * (the same buckets as the Model's telemetry panel), the checks on top, and one y axis with
 * nice ticks that always shows the threshold.
 */

/** The telemetry summary's field for each metric the rollups measure; the rest have no series. */
export const SERIES_FIELD: Partial<
  Record<
    MonitorMetric,
    "toolCallErrorRate" | "escalationRate" | "failureRate" | "latencyP95Ms" | "costPerCallUsd"
  >
> = {
  tool_call_error_rate: "toolCallErrorRate",
  escalation_rate: "escalationRate",
  failure_rate: "failureRate",
  latency_p95_ms: "latencyP95Ms",
  cost_per_call_usd: "costPerCallUsd",
};

export const CHART_SPANS = ["6h", "24h", "7d", "30d"] as const;
export type ChartSpan = (typeof CHART_SPANS)[number];
const SPAN_MS: Record<ChartSpan, number> = {
  "6h": 6 * 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

/** One bucket of the metric: `value` null where no event reported the field (a gap). */
export type SeriesPoint = { t: number; value: number | null; samples: number };

export function metricSeries(metric: MonitorMetric, series: readonly TelemetryPoint[]) {
  const field = SERIES_FIELD[metric];
  if (!field) return null;
  return series.map((p) => ({ t: Date.parse(p.t), value: p[field], samples: p.samples }));
}

/**
 * The span the chart opens on: a day, or as far back as the oldest check the page lists (up to
 * 30 days), so the checks a person came to see are on the chart.
 */
export function defaultSpan(checks: readonly CheckPoint[], now = Date.now()): ChartSpan {
  const oldest = checks.length ? Math.min(...checks.map((c) => c.t)) : now;
  const age = now - oldest;
  return CHART_SPANS.find((s) => s !== "6h" && SPAN_MS[s] >= age) ?? "30d";
}

/**
 * The time window the chart draws and the checks in it. The telemetry summary's span ends when it
 * was fetched; a check run since ("Check now", the scheduler) is newer than that and belongs on the
 * chart all the same, so the window runs to the latest of the two.
 */
export function chartWindow(
  summary: { from: string; to: string },
  checks: readonly CheckPoint[],
): { from: number; to: number; shown: CheckPoint[] } {
  const from = Date.parse(summary.from);
  const to = Math.max(Date.parse(summary.to), ...checks.map((c) => c.t));
  return { from, to, shown: checks.filter((c) => c.t >= from && c.t <= to) };
}

/**
 * The y axis over the series, the checks and the threshold, from 0 (every monitored metric is
 * non-negative) to a nice maximum; shares stop at 100%.
 */
export function monitorAxis(
  metric: MonitorMetric,
  threshold: number,
  series: readonly SeriesPoint[],
  checks: readonly CheckPoint[],
): NiceScale {
  const values = [
    threshold,
    ...series.flatMap((p) => (p.value === null ? [] : [p.value])),
    ...checks.flatMap((c) => (c.value === null ? [] : [c.value])),
  ];
  const max = Math.max(...values);
  const share = isShareMetric(metric);
  return niceScale(0, max, { count: 5, clamp: share ? [0, 1] : undefined });
}

/** The chart's accessible text about the series: buckets measured, the latest and the peak. */
export function seriesSummary(metric: MonitorMetric, series: readonly SeriesPoint[]): string {
  const measured = series.filter((p) => p.value !== null);
  if (measured.length === 0) return "No telemetry reported this metric in the span";
  const peak = Math.max(...measured.map((p) => p.value!));
  return [
    `${measured.length} of ${series.length} buckets measured`,
    `latest ${formatMonitorValue(metric, measured.at(-1)!.value)}`,
    `peak ${formatMonitorValue(metric, peak)}`,
  ].join(", ");
}
