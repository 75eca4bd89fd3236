"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { MetricName } from "@/lib/schemas/eval-metrics";
import type { VersionListItem } from "@/lib/schemas/models";
import { formatMetricValue, METRIC_LABEL } from "@/lib/client/eval-metrics";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };

type Datum = { label: string; value: number; production: boolean; stage: string };

function VersionTooltip({ active, payload }: TooltipContentProps) {
  const d = payload?.[0]?.payload as (Datum & { metric: MetricName }) | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">
        {d.label} · {d.stage.toLowerCase()}
      </p>
      <p>
        <strong className="mono">{formatMetricValue(d.metric, d.value)}</strong>
      </p>
    </div>
  );
}

/**
 * One metric across a model's versions, oldest first, the production version in green; an
 * absolute gate threshold, when the policy has one, is drawn as a dashed line.
 */
export function VersionMetricChart({
  versions,
  metric = "tool_call_accuracy",
  threshold,
}: {
  versions: readonly VersionListItem[];
  metric?: MetricName;
  threshold?: number | null;
}) {
  const data = [...versions]
    .sort((a, b) => a.version - b.version)
    .filter((v) => typeof v.metrics[metric] === "number")
    .map((v) => ({
      label: `v${v.version}`,
      value: v.metrics[metric]!,
      production: v.stage === "PRODUCTION",
      stage: v.stage,
      metric,
    }));
  const title = `${METRIC_LABEL[metric]} by version`;
  if (data.length === 0)
    return (
      <figure className="chart-figure" aria-label={`${title}. No evaluated versions yet.`}>
        <figcaption className="metric-chart-title">{title}</figcaption>
        <div className="metric-chart-empty" style={{ height: 160 }}>
          <span className="muted">No version has been evaluated on the suite yet.</span>
        </div>
      </figure>
    );
  const summary = data
    .map(
      (d) =>
        `${d.label}${d.production ? " (production)" : ""}: ${formatMetricValue(metric, d.value)}`,
    )
    .join("; ");
  return (
    <figure
      className="chart-figure"
      aria-label={`${title}. ${summary}`}
      data-testid="version-chart"
    >
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">{title}</span>
        <span className="metric-chart-last">
          <span
            className="legend-dot"
            style={{ background: "var(--success)" }}
            aria-hidden="true"
          />{" "}
          production
        </span>
        {threshold != null && (
          <span className="metric-chart-last">dashed: gate threshold {threshold}</span>
        )}
      </figcaption>
      <BarChart
        responsive
        style={{ width: "100%", height: 220 }}
        data={data}
        margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="label"
          tick={TICK}
          tickLine={false}
          axisLine={{ stroke: "var(--border)" }}
        />
        <YAxis
          domain={[0, 1]}
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={44}
          tickFormatter={(n: number) => `${Math.round(n * 100)}%`}
        />
        <Tooltip content={VersionTooltip} cursor={{ fill: "var(--bg-hover)" }} />
        {threshold != null && (
          <ReferenceLine y={threshold} stroke="var(--danger)" strokeDasharray="4 3" />
        )}
        <Bar
          dataKey="value"
          name={METRIC_LABEL[metric]}
          radius={[2, 2, 0, 0]}
          isAnimationActive={false}
        >
          {data.map((d) => (
            <Cell key={d.label} fill={d.production ? "var(--success)" : "var(--accent)"} />
          ))}
        </Bar>
      </BarChart>
    </figure>
  );
}
