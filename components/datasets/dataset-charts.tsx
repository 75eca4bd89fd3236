"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { DatasetStats } from "@/lib/schemas/datasets";
import { formatCompact, formatCount } from "@/lib/client/format-units";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };
const MAX_TOOLS = 15;

type Datum = { label: string; count: number; detail: string };

function ChartTooltip({ active, payload }: TooltipContentProps) {
  const d = payload?.[0]?.payload as Datum | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{d.detail}</p>
      <p>
        <strong>{formatCount(d.count)}</strong> {d.count === 1 ? "example" : "examples"}
      </p>
    </div>
  );
}

/**
 * Examples per token-length bucket. Buckets double (≤64, ≤128, …), like the statistics that feed
 * it, so one chart shows short tool calls and long multi-turn traces alike.
 */
export function TokenHistogramChart({
  histogram,
  exact,
}: {
  histogram: DatasetStats["lengthHistogram"];
  exact: boolean;
}) {
  const data: Datum[] = histogram.map((b, i) => {
    const from = i === 0 ? 0 : histogram[i - 1]!.upTo;
    return {
      label: `≤${formatCompact(b.upTo)}`,
      count: b.count,
      detail: `${formatCount(from + 1)}–${formatCount(b.upTo)} tokens${exact ? "" : " (estimated)"}`,
    };
  });
  const summary = data.map((d) => `${d.detail}: ${d.count}`).join("; ");
  return (
    <figure className="chart-figure" aria-label={`Token length histogram. ${summary}`}>
      <BarChart
        responsive
        style={{ width: "100%", height: 220 }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 4, left: 0 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="label"
          tick={TICK}
          tickLine={false}
          axisLine={{ stroke: "var(--border)" }}
        />
        <YAxis
          allowDecimals={false}
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={40}
          tickFormatter={(n: number) => formatCompact(n)}
        />
        <Tooltip content={ChartTooltip} cursor={{ fill: "var(--bg-hover)" }} />
        <Bar dataKey="count" name="Examples" fill="var(--accent)" radius={[2, 2, 0, 0]} />
      </BarChart>
      <figcaption className="chart-caption">
        Examples by length in tokens{exact ? "" : " (estimated)"}; each bar doubles the one before.
      </figcaption>
    </figure>
  );
}

/** Calls per tool name, most called first (the top 15; the rest summed). */
export function ToolCallsChart({ toolCounts }: { toolCounts: DatasetStats["toolCounts"] }) {
  const sorted = Object.entries(toolCounts).sort((a, b) => b[1] - a[1]);
  const top = sorted.slice(0, MAX_TOOLS);
  const rest = sorted.slice(MAX_TOOLS).reduce((n, [, c]) => n + c, 0);
  const data: Datum[] = top.map(([name, count]) => ({ label: name, count, detail: name }));
  if (rest > 0) {
    data.push({
      label: `${sorted.length - MAX_TOOLS} more`,
      count: rest,
      detail: `${sorted.length - MAX_TOOLS} other tools`,
    });
  }
  const summary = data.map((d) => `${d.detail}: ${d.count}`).join("; ");
  const height = Math.max(80, data.length * 26 + 24);
  return (
    <figure className="chart-figure" aria-label={`Tool calls per tool. ${summary}`}>
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height }}
        data={data}
        margin={{ top: 4, right: 16, bottom: 4, left: 0 }}
      >
        <CartesianGrid horizontal={false} stroke="var(--border)" />
        <XAxis
          type="number"
          allowDecimals={false}
          tick={TICK}
          tickLine={false}
          axisLine={{ stroke: "var(--border)" }}
          tickFormatter={(n: number) => formatCompact(n)}
        />
        <YAxis
          type="category"
          dataKey="label"
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={150}
          interval={0}
        />
        <Tooltip content={ChartTooltipCalls} cursor={{ fill: "var(--bg-hover)" }} />
        <Bar dataKey="count" name="Calls" fill="var(--success)" radius={[0, 2, 2, 0]} />
      </BarChart>
      <figcaption className="chart-caption">Tool calls in valid examples, per tool.</figcaption>
    </figure>
  );
}

function ChartTooltipCalls({ active, payload }: TooltipContentProps) {
  const d = payload?.[0]?.payload as Datum | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{d.detail}</p>
      <p>
        <strong>{formatCount(d.count)}</strong> {d.count === 1 ? "call" : "calls"}
      </p>
    </div>
  );
}
