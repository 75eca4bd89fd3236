/**
 * GET /api/v1/telemetry/summary: one Model's production telemetry over a window, from the
 * per-minute rollups only (so a 90-day window costs the same whatever the event volume).
 */
import { formatDuration, parseDuration } from "@/lib/domain/durations";
import { rateMetric, type WindowTotals } from "@/lib/domain/telemetry-metrics";
import type {
  TelemetryPoint,
  TelemetrySummary,
  telemetrySummaryQuerySchema,
} from "@/lib/schemas/telemetry";
import type { z } from "zod";
import { authorize } from "@/lib/server/core/authorize";
import { HttpError, notFound } from "@/lib/server/core/errors";
import { resolveModelRefs } from "./model-refs";
import type { Principal } from "@/lib/server/core/principal";
import { latencyBuckets, readDim, readSeries, readTotals } from "./rollups";

const MINUTE_MS = 60_000;
const DEFAULT_WINDOW = "24h";
const MAX_WINDOW_S = 90 * 86_400;
/** Charts get about this many points, whatever the window. */
const SERIES_POINTS = 60;
const TOP = 20;

/**
 * [from, to) ends at the start of the next minute, so the minute in progress is included, and
 * spans the window rounded up to whole minutes (rollups have minute resolution).
 */
export function summaryWindow(window: string, now = Date.now()) {
  let seconds: number;
  try {
    seconds = parseDuration(window);
  } catch (e) {
    throw new HttpError(422, "invalid", `window: ${(e as Error).message}`, [
      { path: "window", message: (e as Error).message },
    ]);
  }
  if (seconds < 60 || seconds > MAX_WINDOW_S) {
    throw new HttpError(422, "invalid", `window: between 1m and 90d, got "${window}"`, [
      { path: "window", message: "between 1m and 90d" },
    ]);
  }
  const minutes = Math.ceil(seconds / 60);
  const to = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const from = to - minutes * MINUTE_MS;
  // A whole number of minutes per bucket, so every bucket sums whole rollup rows.
  const bucketSeconds = Math.max(1, Math.ceil(minutes / SERIES_POINTS)) * 60;
  return { seconds: minutes * 60, from: new Date(from), to: new Date(to), bucketSeconds };
}

function top(counts: Map<string, number>): { name: string; count: number }[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP)
    .map(([name, count]) => ({ name, count }));
}

function point(t: number, totals: WindowTotals | undefined, latency: Map<number, number>) {
  const empty: TelemetryPoint = {
    t: new Date(t).toISOString(),
    samples: 0,
    failureRate: null,
    toolCallErrorRate: null,
    escalationRate: null,
    latencyP95Ms: null,
    costPerCallUsd: null,
  };
  if (!totals) return empty;
  return {
    ...empty,
    samples: totals.samples,
    failureRate: rateMetric("failure_rate", totals, latency).value,
    toolCallErrorRate: rateMetric("tool_call_error_rate", totals, latency).value,
    escalationRate: rateMetric("escalation_rate", totals, latency).value,
    latencyP95Ms: rateMetric("latency_p95_ms", totals, latency).value,
    costPerCallUsd: rateMetric("cost_per_call_usd", totals, latency).value,
  };
}

export async function getTelemetrySummary(
  p: Principal,
  query: z.infer<typeof telemetrySummaryQuerySchema>,
): Promise<TelemetrySummary> {
  authorize(p, "team.read");
  const model = (await resolveModelRefs(p.teamId, [query.model])).get(query.model);
  if (!model) throw notFound("model", query.model);
  const w = summaryWindow(query.window ?? DEFAULT_WINDOW);
  const [totals, latency, tools, intents, series] = await Promise.all([
    readTotals(model.id, w.from, w.to),
    readDim(model.id, "latency", w.from, w.to),
    readDim(model.id, "tool", w.from, w.to),
    readDim(model.id, "intent", w.from, w.to),
    readSeries(model.id, w.from, w.to, w.bucketSeconds),
  ]);
  const buckets = latencyBuckets(latency);
  const metric = (m: Parameters<typeof rateMetric>[0]) => rateMetric(m, totals, buckets).value;

  // Buckets are aligned to the epoch (as readSeries groups them); the first and last may be
  // partly outside the window. Empty buckets are points with zero samples, not gaps.
  const step = w.bucketSeconds * 1000;
  const points: TelemetryPoint[] = [];
  for (let t = Math.floor(w.from.getTime() / step) * step; t < w.to.getTime(); t += step) {
    points.push(point(t, series.totals.get(t), series.latency.get(t) ?? new Map()));
  }

  return {
    model,
    window: formatDuration(w.seconds),
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    samples: totals.samples,
    rates: {
      failure: metric("failure_rate"),
      toolCallError: metric("tool_call_error_rate"),
      escalation: metric("escalation_rate"),
    },
    latencyP95Ms: metric("latency_p95_ms"),
    latencyMeanMs: totals.latencyCount > 0 ? totals.latencySumMs / totals.latencyCount : null,
    costPerCallUsd: metric("cost_per_call_usd"),
    costUsd: totals.costSumUsd,
    tools: top(tools),
    intents: top(intents),
    series: points,
    bucketSeconds: w.bucketSeconds,
  };
}
