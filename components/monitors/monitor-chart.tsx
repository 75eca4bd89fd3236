"use client";

import { useState } from "react";
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { DriftCheck, Monitor, MonitorMetric } from "@/lib/schemas/monitors";
import { formatDateTime } from "@/lib/client/format";
import { formatCount } from "@/lib/client/format-units";
import { useTelemetrySummary } from "@/lib/client/hooks/telemetry";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { checkPoints, checksSummary, type CheckPoint } from "./chart-data";
import { CheckChart } from "./check-chart";
import { formatCondition, formatMonitorTick, formatMonitorValue } from "./format";
import { CHECK_STATUS_LABEL, METRIC_LABEL } from "./labels";
import {
  CHART_SPANS,
  type ChartSpan,
  chartWindow,
  defaultSpan,
  metricSeries,
  monitorAxis,
  SERIES_FIELD,
  type SeriesPoint,
  seriesSummary,
} from "./monitor-chart-data";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };
const DAY_MS = 86_400_000;
const dayTick = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short" });
const hourTick = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

function SpanPicker({ value, onChange }: { value: ChartSpan; onChange: (s: ChartSpan) => void }) {
  return (
    <div role="group" aria-label="Chart span" className="inline-gap">
      {CHART_SPANS.map((s) => (
        <button
          key={s}
          type="button"
          className={s === value ? "btn btn-sm btn-primary" : "btn btn-sm btn-ghost"}
          aria-pressed={s === value}
          onClick={() => onChange(s)}
        >
          {s}
        </button>
      ))}
    </div>
  );
}

/** A hovered bucket of the series or a hovered check, in the metric's units. */
function PointTooltip({
  active,
  payload,
  metric,
}: TooltipContentProps & { metric: MonitorMetric }) {
  const d = payload?.[0]?.payload as SeriesPoint | CheckPoint | undefined;
  if (!active || !d) return null;
  const check = "status" in d ? d : null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{formatDateTime(new Date(d.t).toISOString())}</p>
      <p>
        <strong className="mono">{formatMonitorValue(metric, d.value)}</strong> ·{" "}
        {formatCount(d.samples)} {check ? "samples in its window" : "events in the bucket"}
      </p>
      {check ? (
        <p className={check.breached ? "text-danger" : "muted"}>
          Check: {CHECK_STATUS_LABEL[check.status]}
        </p>
      ) : (
        <p className="muted">Telemetry</p>
      )}
    </div>
  );
}

type ShapeProps = { cx?: number; cy?: number; payload?: CheckPoint };

/** Checks sit on the series as rings: red and larger when they breached. */
function CheckMark({ cx, cy, payload }: ShapeProps) {
  if (cx == null || cy == null || !payload || payload.value === null) return <g />;
  return (
    <circle
      cx={cx}
      cy={cy}
      r={payload.breached ? 5 : 3.5}
      fill={payload.breached ? "var(--danger)" : "var(--bg)"}
      stroke={payload.breached ? "var(--danger)" : "var(--accent-strong, var(--accent))"}
      strokeWidth={1.75}
    />
  );
}

/**
 * The monitored metric over time from the telemetry rollups, the threshold as a dashed line and
 * every check of the span on top, on one axis with nice ticks. Metrics the rollups do not measure
 * (mix shift, unseen tools, the canary eval) exist only as checks: their chart is the checks'.
 */
export function MonitorChart({
  monitor,
  checks,
  height = 280,
}: {
  monitor: Monitor;
  checks: readonly DriftCheck[];
  height?: number;
}) {
  const all = checkPoints(checks);
  if (!SERIES_FIELD[monitor.metric])
    return (
      <CheckChart
        metric={monitor.metric}
        threshold={monitor.threshold}
        comparator={monitor.comparator}
        points={all}
      />
    );
  return <SeriesWithChecks monitor={monitor} all={all} height={height} />;
}

function SeriesWithChecks({
  monitor,
  all,
  height,
}: {
  monitor: Monitor;
  all: CheckPoint[];
  height: number;
}) {
  const [span, setSpan] = useState<ChartSpan>(() => defaultSpan(all));
  const summary = useTelemetrySummary(monitor.modelId, span);
  const { metric, threshold, comparator } = monitor;
  const title = `${METRIC_LABEL[metric]} in production`;
  const condition = formatCondition(metric, comparator, threshold);
  const head = (
    <figcaption className="metric-chart-head">
      <span className="metric-chart-title">{title}</span>
      <span className="metric-chart-last">line: telemetry · rings: checks</span>
      <span className="metric-chart-last">dashed: threshold {condition}</span>
      <SpanPicker value={span} onChange={setSpan} />
    </figcaption>
  );
  if (summary.isPending)
    return (
      <figure className="chart-figure">
        {head}
        <LoadingState label="Loading telemetry…" rows={3} />
      </figure>
    );
  if (summary.isError)
    return (
      <figure className="chart-figure">
        {head}
        <ErrorState
          title="Could not load the telemetry"
          error={summary.error}
          onRetry={() => void summary.refetch()}
          retrying={summary.isFetching}
        />
      </figure>
    );
  const { from, to, shown } = chartWindow(summary.data, all);
  const series = metricSeries(metric, summary.data.series) ?? [];
  const measured = series.filter((p) => p.value !== null).length;
  const axis = monitorAxis(metric, threshold, series, shown);
  const tick = (t: number) => (to - from > 2 * DAY_MS ? dayTick.format(t) : hourTick.format(t));
  return (
    <figure
      className="chart-figure"
      aria-label={`${title} over the last ${span}, breaches when ${condition}. ${seriesSummary(metric, series)}. ${checksSummary(metric, shown)}.`}
      data-testid="check-chart"
      data-points={shown.length}
      data-series-points={measured}
      data-threshold={threshold}
    >
      {head}
      {measured === 0 && shown.every((c) => c.value === null) ? (
        <div className="metric-chart-empty" style={{ height }}>
          <span className="muted">
            No telemetry reported this metric in the last {span}, and no check measured it.
          </span>
        </div>
      ) : (
        <ComposedChart
          responsive
          style={{ width: "100%", height }}
          margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
        >
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            allowDataOverflow
            tick={TICK}
            tickLine={false}
            axisLine={{ stroke: "var(--border)" }}
            tickFormatter={tick}
            minTickGap={28}
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
          <Tooltip content={(props) => <PointTooltip {...props} metric={metric} />} />
          <ReferenceLine y={threshold} stroke="var(--danger)" strokeDasharray="4 3" />
          <Line
            data={series}
            dataKey="value"
            name={METRIC_LABEL[metric]}
            type="monotone"
            stroke="var(--accent)"
            strokeWidth={1.5}
            // A lone measured bucket has no line to draw, so points show once data is sparse.
            dot={measured < 3 ? { r: 2.5, fill: "var(--accent)" } : false}
            isAnimationActive={false}
          />
          <Scatter
            data={shown.filter((c) => c.value !== null)}
            dataKey="value"
            name="Checks"
            shape={CheckMark}
            isAnimationActive={false}
          />
        </ComposedChart>
      )}
    </figure>
  );
}
