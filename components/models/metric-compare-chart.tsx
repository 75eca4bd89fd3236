"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { RunMetrics } from "@/lib/schemas/eval-metrics";
import {
  formatMetricValue,
  isMetricName,
  isRateMetric,
  metricDelta,
  metricLabel,
  metricsPresent,
} from "@/lib/client/eval-metrics";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };
export const SERIES_COLORS = [
  "var(--accent)",
  "var(--success)",
  "var(--text-faint)",
  "var(--warning)",
];

export type MetricSeries = { key: string; name: string; metrics: RunMetrics; color?: string };

function RateTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{String(label)}</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)}>
          <span className="legend-dot" style={{ background: p.color }} aria-hidden="true" />{" "}
          {p.name}: <strong className="mono">{`${(Number(p.value) * 100).toFixed(1)}%`}</strong>
        </p>
      ))}
    </div>
  );
}

/**
 * Several runs side by side: accuracies (0–1) as a grouped bar chart on one axis; latency,
 * tokens and cost, which have their own units, as a small table with the first series' delta
 * against each other series.
 */
export function MetricCompareChart({
  title,
  series,
  height = 240,
}: {
  title: string;
  series: readonly MetricSeries[];
  height?: number;
}) {
  const colored = series.map((s, i) => ({
    ...s,
    color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]!,
  }));
  const names = metricsPresent(colored.map((s) => s.metrics));
  const rates = names.filter((m) => isMetricName(m) && isRateMetric(m));
  const others = names.filter((m) => !rates.includes(m));
  const data = rates.map((m) => {
    const row: Record<string, string | number> = { metric: metricLabel(m) };
    for (const s of colored) {
      const v = s.metrics[m as keyof RunMetrics];
      if (typeof v === "number") row[s.key] = v;
    }
    return row;
  });
  const summary = rates
    .map(
      (m) =>
        `${metricLabel(m)}: ${colored.map((s) => `${s.name} ${formatMetricValue(m, s.metrics[m as keyof RunMetrics])}`).join(", ")}`,
    )
    .join("; ");
  return (
    <div className="stack">
      {rates.length === 0 ? (
        <p className="muted">No accuracy metrics to chart.</p>
      ) : (
        <figure className="chart-figure" aria-label={`${title}. ${summary}`}>
          <figcaption className="metric-chart-title">{title}</figcaption>
          <BarChart
            responsive
            style={{ width: "100%", height }}
            data={data}
            margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
          >
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey="metric"
              tick={TICK}
              tickLine={false}
              axisLine={{ stroke: "var(--border)" }}
              interval={0}
            />
            <YAxis
              domain={[0, 1]}
              tick={TICK}
              tickLine={false}
              axisLine={false}
              width={44}
              tickFormatter={(n: number) => `${Math.round(n * 100)}%`}
            />
            <Tooltip content={RateTooltip} cursor={{ fill: "var(--bg-hover)" }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {colored.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                fill={s.color}
                radius={[2, 2, 0, 0]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </figure>
      )}
      {others.length > 0 && (
        <Table caption={`${title}: latency, tokens and cost`}>
          <THead>
            <Tr>
              <Th>Metric</Th>
              {colored.map((s) => (
                <Th key={s.key} align="right">
                  {s.name}
                </Th>
              ))}
            </Tr>
          </THead>
          <TBody>
            {others.map((m) => {
              const first = colored[0]?.metrics[m as keyof RunMetrics];
              return (
                <Tr key={m}>
                  <Td>
                    {metricLabel(m)} <span className="cell-sub mono">{m}</span>
                  </Td>
                  {colored.map((s, i) => {
                    const v = s.metrics[m as keyof RunMetrics];
                    const d = i === 0 ? null : metricDelta(m, first, v);
                    return (
                      <Td key={s.key} align="right" className="mono">
                        {formatMetricValue(m, v)}
                        {d && d.direction !== "unknown" && (
                          <span className={`cell-sub delta-${d.direction}`}>
                            {colored[0]!.name} {d.text}
                          </span>
                        )}
                      </Td>
                    );
                  })}
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}
    </div>
  );
}
