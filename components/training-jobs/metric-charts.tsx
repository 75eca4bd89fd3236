"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { formatCompact, formatCount, formatMetric, formatTick } from "@/lib/client/format-units";
import type { MetricPoint } from "@/lib/client/hooks/training-jobs";
import { type ChartRow, pivot } from "./chart-data";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };

export type Series = { key: string; name: string; color: string; dashed?: boolean };

function MetricTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">step {formatCount(Number(label))}</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)}>
          <span className="legend-dot" style={{ background: p.color }} aria-hidden="true" />{" "}
          {p.name}: <strong className="mono">{formatMetric(Number(p.value))}</strong>
        </p>
      ))}
    </div>
  );
}

/**
 * A metric over steps as lines. The figure's data attributes carry the point count so tests
 * and tools can read progress without parsing the SVG.
 */
export function MetricChart({
  title,
  rows,
  series,
  totalSteps,
  pointCount,
  testId,
  height = 220,
  emptyText = "No points yet: the trainer logs every few steps.",
}: {
  title: string;
  rows: readonly ChartRow[];
  series: readonly Series[];
  totalSteps?: number | null;
  /** How many points the main series has (exposed as data-points). */
  pointCount: number;
  testId?: string;
  height?: number;
  emptyText?: string;
}) {
  const present = series.filter((s) => rows.some((r) => r[s.key] !== undefined));
  const last = (key: string) => [...rows].reverse().find((r) => r[key] !== undefined)?.[key];
  const summary = present
    .map(
      (s) =>
        `${s.name}: ${rows.filter((r) => r[s.key] !== undefined).length} points, last ${formatMetric(last(s.key))}`,
    )
    .join("; ");
  return (
    <figure
      className="chart-figure metric-chart"
      data-testid={testId}
      data-points={pointCount}
      aria-label={`${title}. ${summary || "No points yet."}`}
    >
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">{title}</span>
        {present.map((s) => (
          <span key={s.key} className="metric-chart-last">
            {s.name} <strong className="mono">{formatMetric(last(s.key))}</strong>
          </span>
        ))}
      </figcaption>
      {rows.length === 0 || present.length === 0 ? (
        <div className="metric-chart-empty" style={{ height }}>
          <span className="muted">{emptyText}</span>
        </div>
      ) : (
        <LineChart
          responsive
          style={{ width: "100%", height }}
          data={rows as ChartRow[]}
          margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
        >
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="step"
            type="number"
            domain={[0, totalSteps ? Math.max(totalSteps, rows.at(-1)!.step) : "dataMax"]}
            tick={TICK}
            tickLine={false}
            axisLine={{ stroke: "var(--border)" }}
            tickFormatter={(n: number) => formatCompact(n)}
            allowDecimals={false}
          />
          <YAxis
            tick={TICK}
            tickLine={false}
            axisLine={false}
            width={56}
            domain={["auto", "auto"]}
            tickFormatter={(n: number) => formatTick(n)}
          />
          <Tooltip content={MetricTooltip} />
          {present.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {present.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              type="monotone"
              stroke={s.color}
              strokeWidth={1.75}
              strokeDasharray={s.dashed ? "5 3" : undefined}
              dot={s.dashed ? { r: 2.5 } : false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      )}
    </figure>
  );
}

/** Loss (with eval loss), learning rate and gradient norm of one job. */
export function TrainingCharts({
  points,
  totalSteps,
}: {
  points: readonly MetricPoint[];
  totalSteps: number | null;
}) {
  const rows = pivot(points);
  const count = (name: string) => points.filter((p) => p.name === name).length;
  return (
    <div className="stack-lg">
      <MetricChart
        title="Loss"
        testId="loss-chart"
        rows={rows}
        totalSteps={totalSteps}
        pointCount={count("loss")}
        height={260}
        series={[
          { key: "loss", name: "train loss", color: "var(--accent)" },
          { key: "eval_loss", name: "eval loss", color: "var(--success)", dashed: true },
        ]}
      />
      <div className="chart-grid">
        <MetricChart
          title="Learning rate"
          testId="lr-chart"
          rows={rows}
          totalSteps={totalSteps}
          pointCount={count("learning_rate")}
          height={180}
          series={[{ key: "learning_rate", name: "learning rate", color: "var(--info)" }]}
        />
        <MetricChart
          title="Gradient norm"
          testId="grad-norm-chart"
          rows={rows}
          totalSteps={totalSteps}
          pointCount={count("grad_norm")}
          height={180}
          series={[{ key: "grad_norm", name: "grad norm", color: "var(--warning)" }]}
        />
      </div>
    </div>
  );
}
