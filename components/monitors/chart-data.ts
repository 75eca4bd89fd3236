import type { DriftCheck, MonitorMetric } from "@/lib/schemas/monitors";
import type { TelemetryPoint } from "@/lib/schemas/telemetry";
import { formatMonitorValue } from "./format";

/** One stored check as the monitor chart draws it; `value` null (no data, too few samples) is a gap. */
export type CheckPoint = {
  id: string;
  /** Epoch milliseconds of the check, for a time axis. */
  t: number;
  value: number | null;
  breached: boolean;
  samples: number;
  status: DriftCheck["status"];
};

/** Checks oldest first (the API lists newest first), as chart points. */
export function checkPoints(checks: readonly DriftCheck[]): CheckPoint[] {
  return checks
    .map((c) => ({
      id: c.id,
      t: Date.parse(c.createdAt),
      value: c.value,
      breached: c.breached,
      samples: c.samples,
      status: c.status,
    }))
    .sort((a, b) => a.t - b.t);
}

/** The chart's accessible text: how many checks, how many breached, and the latest value. */
export function checksSummary(metric: MonitorMetric, points: readonly CheckPoint[]): string {
  if (points.length === 0) return "No checks yet.";
  const breached = points.filter((p) => p.breached).length;
  const last = [...points].reverse().find((p) => p.value !== null);
  const n = points.length;
  return [
    `${n} ${n === 1 ? "check" : "checks"}`,
    `${breached} breached`,
    `latest value ${formatMonitorValue(metric, last?.value)}`,
  ].join(", ");
}

export type TelemetryChartPoint = Omit<TelemetryPoint, "t"> & { t: number };

/** The summary's buckets with epoch-millisecond times, for a time axis. */
export function telemetryPoints(series: readonly TelemetryPoint[]): TelemetryChartPoint[] {
  return series.map((p) => ({ ...p, t: Date.parse(p.t) }));
}
