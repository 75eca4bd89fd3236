"use client";

import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { niceScale } from "@/lib/domain/nice-ticks";
import type { MonitorMetric } from "@/lib/schemas/monitors";
import { formatDateTime } from "@/lib/client/format";
import { formatCount } from "@/lib/client/format-units";
import type { TelemetryChartPoint } from "./chart-data";
import { formatMonitorTick, formatMonitorValue } from "./format";

const TICK = { fill: "var(--text-muted)", fontSize: 10, fontFamily: "var(--mono)" };
const DAY_MS = 86_400_000;
const dayTick = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short" });
const hourTick = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

export type SeriesKey = "toolCallErrorRate" | "failureRate" | "escalationRate" | "latencyP95Ms";

function SeriesTooltip({
  active,
  payload,
  metric,
  dataKey,
}: TooltipContentProps & { metric: MonitorMetric; dataKey: SeriesKey }) {
  const d = payload?.[0]?.payload as TelemetryChartPoint | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{formatDateTime(new Date(d.t).toISOString())}</p>
      <p>
        <strong className="mono">{formatMonitorValue(metric, d[dataKey])}</strong> ·{" "}
        {formatCount(d.samples)} events
      </p>
    </div>
  );
}

/**
 * Nice ticks from 0 (46.7% peaks get 0–50% in tens, not fifths of 46.7%). Rates never pass 100%,
 * and an all-zero rate gets a 0–5% axis rather than an arbitrary one.
 */
function seriesAxis(metric: MonitorMetric, points: readonly TelemetryChartPoint[], key: SeriesKey) {
  const rate = metric.endsWith("_rate");
  const values = points.flatMap((p) => (p[key] === null ? [] : [p[key]]));
  const max = Math.max(rate ? 0.05 : 0, ...values);
  return niceScale(0, max, { count: 4, clamp: rate ? [0, 1] : undefined });
}

/**
 * One telemetry metric over the window's buckets, small enough for four side by side; the
 * window's overall value is the headline beside the title. Empty buckets are gaps.
 */
export function TelemetrySeriesChart({
  title,
  metric,
  dataKey,
  points,
  overall,
  color = "var(--accent)",
  height = 140,
}: {
  title: string;
  metric: MonitorMetric;
  dataKey: SeriesKey;
  points: readonly TelemetryChartPoint[];
  /** The metric over the whole window (not an average of buckets). */
  overall: number | null;
  color?: string;
  height?: number;
}) {
  const span = points.length > 1 ? points.at(-1)!.t - points[0]!.t : 0;
  const tick = (t: number) => (span > 2 * DAY_MS ? dayTick.format(t) : hourTick.format(t));
  const measured = points.filter((p) => p[dataKey] !== null).length;
  const headline = formatMonitorValue(metric, overall);
  const axis = seriesAxis(metric, points, dataKey);
  return (
    <figure
      className="chart-figure"
      aria-label={`${title}: ${headline} over the window, ${measured} of ${points.length} buckets measured.`}
      data-testid={`telemetry-chart-${dataKey}`}
    >
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">{title}</span>
        <strong className="mono">{headline}</strong>
      </figcaption>
      {measured === 0 ? (
        <div className="metric-chart-empty" style={{ height }}>
          <span className="muted small">No events reported this field.</span>
        </div>
      ) : (
        <LineChart
          responsive
          style={{ width: "100%", height }}
          data={points as TelemetryChartPoint[]}
          margin={{ top: 6, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tick={TICK}
            tickLine={false}
            axisLine={{ stroke: "var(--border)" }}
            tickFormatter={tick}
            minTickGap={24}
          />
          <YAxis
            tick={TICK}
            tickLine={false}
            axisLine={false}
            width={52}
            type="number"
            domain={axis.domain}
            ticks={axis.ticks}
            interval={0}
            tickFormatter={(n: number) => formatMonitorTick(metric, n)}
          />
          <Tooltip
            content={(props) => <SeriesTooltip {...props} metric={metric} dataKey={dataKey} />}
          />
          <Line
            dataKey={dataKey}
            name={title}
            type="monotone"
            stroke={color}
            strokeWidth={1.5}
            // A lone measured bucket has no line to draw, so points show once data is sparse.
            dot={measured < 3 ? { r: 2.5, fill: color } : false}
            isAnimationActive={false}
          />
        </LineChart>
      )}
    </figure>
  );
}
