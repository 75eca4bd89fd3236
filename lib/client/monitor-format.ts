/**
 * A monitor's numbers in words, the same on the monitor pages and the home page (moved here from
 * components/monitors so more than one area can read a monitor's value).
 */
import { COMPARATOR_SYMBOL } from "@/lib/domain/drift";
import type { Comparator, MonitorMetric } from "@/lib/schemas/monitors";

/** Metrics that are a share in [0, 1]: shown as percentages and charted on a percent axis. */
const SHARE_METRICS: ReadonlySet<MonitorMetric> = new Set([
  "tool_call_error_rate",
  "escalation_rate",
  "failure_rate",
  "unseen_tool_share",
  "eval_score",
]);

export function isShareMetric(metric: MonitorMetric): boolean {
  return SHARE_METRICS.has(metric);
}

function finite(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** "12.5%" with one decimal: drift thresholds sit at a few percent, where 0 decimals hide a breach. */
export function formatPercent(v: number | null | undefined): string {
  if (!finite(v)) return "—";
  return `${(v * 100).toFixed(1)}%`;
}

/** "412 ms", "12.3 s". */
export function formatMs(v: number | null | undefined): string {
  if (!finite(v)) return "—";
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

/** "$0.0042", "$1.25", "$0". */
export function formatCostUsd(v: number | null | undefined): string {
  if (!finite(v)) return "—";
  if (v === 0) return "$0";
  return v < 0.01 ? `$${Number(v.toPrecision(2))}` : `$${v.toFixed(2)}`;
}

/** A metric's value the way the monitor, its checks and its chart all show it; "—" when absent. */
export function formatMonitorValue(metric: MonitorMetric, v: number | null | undefined): string {
  if (!finite(v)) return "—";
  if (isShareMetric(metric)) return formatPercent(v);
  if (metric === "latency_p95_ms") return formatMs(v);
  if (metric === "cost_per_call_usd") return formatCostUsd(v);
  // PSI: the readings that matter (0.1, 0.25) need three decimals.
  return v.toFixed(3);
}

/** "> 10.0%": the breach condition, in the same units as the value. */
export function formatCondition(
  metric: MonitorMetric,
  comparator: Comparator,
  threshold: number,
): string {
  return `${COMPARATOR_SYMBOL[comparator]} ${formatMonitorValue(metric, threshold)}`;
}

/** An axis tick for the metric: "12%", "450 ms", "$0.004", "0.25". */
export function formatMonitorTick(metric: MonitorMetric, v: number): string {
  if (!Number.isFinite(v)) return "";
  if (isShareMetric(metric)) return `${Number((v * 100).toPrecision(3))}%`;
  if (metric === "latency_p95_ms")
    return v >= 10_000 ? `${Number((v / 1000).toPrecision(3))} s` : `${Math.round(v)} ms`;
  if (metric === "cost_per_call_usd") return `$${Number(v.toPrecision(2))}`;
  return Number(v.toPrecision(3)).toString();
}
