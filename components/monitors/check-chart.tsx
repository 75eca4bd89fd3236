"use client";

import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { Comparator, MonitorMetric } from "@/lib/schemas/monitors";
import { formatDateTime } from "@/lib/client/format";
import { checksSummary, type CheckPoint } from "./chart-data";
import { formatCondition, formatMonitorTick, formatMonitorValue } from "./format";
import { CHECK_STATUS_LABEL, METRIC_LABEL } from "./labels";
import { monitorAxis } from "./monitor-chart-data";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };
const DAY_MS = 86_400_000;

const dayTick = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short" });
const hourTick = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

function CheckTooltip({
  active,
  payload,
  metric,
}: TooltipContentProps & { metric: MonitorMetric }) {
  const d = payload?.[0]?.payload as CheckPoint | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{formatDateTime(new Date(d.t).toISOString())}</p>
      <p>
        <strong className="mono">{formatMonitorValue(metric, d.value)}</strong> ·{" "}
        {d.samples.toLocaleString("en-US")} samples
      </p>
      <p className={d.breached ? "text-danger" : "muted"}>{CHECK_STATUS_LABEL[d.status]}</p>
    </div>
  );
}

type DotProps = { cx?: number; cy?: number; payload?: CheckPoint; index?: number };

/** Breached checks stand out in red and larger; the rest are small accent dots. */
function CheckDot({ cx, cy, payload, index }: DotProps) {
  if (cx == null || cy == null || !payload || payload.value === null)
    return <g key={`dot-${index}`} />;
  return (
    <circle
      key={`dot-${index}`}
      cx={cx}
      cy={cy}
      r={payload.breached ? 4.5 : 2.5}
      fill={payload.breached ? "var(--danger)" : "var(--accent)"}
      stroke="var(--bg)"
      strokeWidth={1}
    />
  );
}

/**
 * The monitor's metric over its stored checks, oldest first, with the threshold as a dashed line
 * (always in view: the axis's nice ticks reach it) and breached checks marked in red. Checks
 * without a value (no data, too few samples) are gaps.
 */
export function CheckChart({
  metric,
  threshold,
  comparator,
  points,
  height = 260,
}: {
  metric: MonitorMetric;
  threshold: number;
  comparator: Comparator;
  points: readonly CheckPoint[];
  height?: number;
}) {
  const title = `${METRIC_LABEL[metric]} by check`;
  const condition = formatCondition(metric, comparator, threshold);
  const summary = checksSummary(metric, points);
  const valued = points.filter((p) => p.value !== null);
  // Nice ticks from 0 that always reach the threshold (the dashed line stays in view).
  const axis = monitorAxis(metric, threshold, [], points);
  const span = points.length > 1 ? points.at(-1)!.t - points[0]!.t : 0;
  const tick = (t: number) => (span > 2 * DAY_MS ? dayTick.format(t) : hourTick.format(t));
  return (
    <figure
      className="chart-figure"
      aria-label={`${title}, breaches when ${condition}. ${summary}`}
      data-testid="check-chart"
      data-points={points.length}
    >
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">{title}</span>
        <span className="metric-chart-last">dashed: threshold {condition}</span>
        <span className="metric-chart-last">
          <span className="legend-dot" style={{ background: "var(--danger)" }} aria-hidden="true" />{" "}
          breached
        </span>
      </figcaption>
      {valued.length === 0 ? (
        <div className="metric-chart-empty" style={{ height }}>
          <span className="muted">
            {points.length === 0
              ? "No checks yet: the scheduler runs one every interval, or use “Check now”."
              : "No check has had data to measure yet."}
          </span>
        </div>
      ) : (
        <LineChart
          responsive
          style={{ width: "100%", height }}
          data={points as CheckPoint[]}
          margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
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
          />
          <YAxis
            tick={TICK}
            tickLine={false}
            axisLine={false}
            width={60}
            type="number"
            domain={axis.domain}
            ticks={axis.ticks}
            interval={0}
            tickFormatter={(n: number) => formatMonitorTick(metric, n)}
          />
          <Tooltip content={(props) => <CheckTooltip {...props} metric={metric} />} />
          <ReferenceLine y={threshold} stroke="var(--danger)" strokeDasharray="4 3" />
          <Line
            dataKey="value"
            name={METRIC_LABEL[metric]}
            type="monotone"
            stroke="var(--accent)"
            strokeWidth={1.75}
            dot={CheckDot}
            activeDot={{ r: 5 }}
            isAnimationActive={false}
          />
        </LineChart>
      )}
    </figure>
  );
}
