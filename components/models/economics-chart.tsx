"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { formatCount, formatUsd } from "@/lib/client/format-units";
import type { EconomicsChartPoint } from "./economics-chart-data";

const TICK = { fill: "var(--text-muted)", fontSize: 10, fontFamily: "var(--mono)" };
const dayTick = new Intl.DateTimeFormat("en-GB", {
  day: "2-digit",
  month: "short",
  timeZone: "UTC",
});
const dayLong = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "2-digit",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

function DayTooltip({ active, payload }: TooltipContentProps) {
  const d = payload?.[0]?.payload as EconomicsChartPoint | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{dayLong.format(d.t)} (UTC)</p>
      <p>
        {formatCount(d.calls)} calls, {formatCount(d.escalated)} escalated
      </p>
      <p>
        Actual <strong className="mono">{formatUsd(d.actualUsd)}</strong> · frontier-only{" "}
        <strong className="mono">{formatUsd(d.frontierOnlyUsd)}</strong>
      </p>
    </div>
  );
}

/**
 * Per UTC day: calls (bars, right axis), the actual cost and the frontier-only counterfactual
 * (lines, left axis). A day without telemetry is a gap in both lines, not a $0 day.
 */
export function EconomicsChart({
  points,
  height = 220,
}: {
  points: readonly EconomicsChartPoint[];
  height?: number;
}) {
  const measured = points.filter((p) => p.actualUsd !== null);
  const total = (k: "actualUsd" | "frontierOnlyUsd") =>
    measured.reduce((s, p) => s + (p[k] ?? 0), 0);
  return (
    <figure
      className="chart-figure"
      data-testid="economics-chart"
      aria-label={`Daily cost: actual ${formatUsd(total("actualUsd"))} against frontier-only ${formatUsd(
        total("frontierOnlyUsd"),
      )} over ${measured.length} of ${points.length} days with costed calls.`}
    >
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">Cost per day: actual vs frontier-only</span>
      </figcaption>
      <ComposedChart
        responsive
        style={{ width: "100%", height }}
        data={points as EconomicsChartPoint[]}
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
          tickFormatter={(t: number) => dayTick.format(t)}
          minTickGap={24}
        />
        <YAxis
          yAxisId="usd"
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={56}
          domain={[0, (max: number) => max || 1]}
          tickFormatter={(n: number) => formatUsd(n)}
        />
        <YAxis
          yAxisId="calls"
          orientation="right"
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={44}
          tickFormatter={(n: number) => formatCount(n)}
        />
        <Tooltip content={DayTooltip} cursor={{ fill: "var(--bg-hover)" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar
          yAxisId="calls"
          dataKey="calls"
          name="Calls"
          fill="var(--border)"
          isAnimationActive={false}
        />
        <Line
          yAxisId="usd"
          dataKey="frontierOnlyUsd"
          name="Frontier-only"
          type="monotone"
          stroke="var(--warning)"
          strokeDasharray="4 3"
          strokeWidth={1.5}
          dot={measured.length < 3 ? { r: 2.5 } : false}
          isAnimationActive={false}
        />
        <Line
          yAxisId="usd"
          dataKey="actualUsd"
          name="Actual (hybrid)"
          type="monotone"
          stroke="var(--accent)"
          strokeWidth={1.5}
          dot={measured.length < 3 ? { r: 2.5 } : false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </figure>
  );
}
