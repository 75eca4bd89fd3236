"use client";

import { Bar, BarChart, Cell, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { formatShare } from "@/lib/client/format-units";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };
const COLORS = ["var(--accent)", "var(--success)", "var(--warning)", "var(--info)", "#8b5cf6"];

const LABEL: Record<string, string> = {
  production_traces: "Production traces",
  human_labelled: "Human-labelled",
  synthetic: "Synthetic",
  mixed: "Mixed",
};

export function provenanceLabel(key: string): string {
  return LABEL[key] ?? key.replace(/_/g, " ");
}

type Datum = { label: string; share: number };

function ShareTooltip({ active, payload }: TooltipContentProps) {
  const d = payload?.[0]?.payload as Datum | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p>
        {d.label}: <strong className="mono">{formatShare(d.share)}</strong>
      </p>
    </div>
  );
}

/** Share of training rows per provenance, largest first, as horizontal bars on a 0–100% axis. */
export function ProvenanceChart({ provenance }: { provenance: Record<string, number> }) {
  const data: Datum[] = Object.entries(provenance)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => ({ label: provenanceLabel(k), share: v }));
  if (data.length === 0) return <p className="muted">No provenance recorded.</p>;
  const summary = data.map((d) => `${d.label} ${formatShare(d.share)}`).join("; ");
  return (
    <figure className="chart-figure" aria-label={`Data provenance. ${summary}`}>
      <BarChart
        responsive
        layout="vertical"
        style={{ width: "100%", height: Math.max(70, data.length * 30 + 24) }}
        data={data}
        margin={{ top: 4, right: 16, bottom: 4, left: 0 }}
      >
        <XAxis
          type="number"
          domain={[0, 1]}
          tick={TICK}
          tickLine={false}
          axisLine={{ stroke: "var(--border)" }}
          tickFormatter={(n: number) => `${Math.round(n * 100)}%`}
        />
        <YAxis
          type="category"
          dataKey="label"
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={140}
          interval={0}
        />
        <Tooltip content={ShareTooltip} cursor={{ fill: "var(--bg-hover)" }} />
        <Bar dataKey="share" radius={[0, 2, 2, 0]} isAnimationActive={false}>
          {data.map((d, i) => (
            <Cell key={d.label} fill={COLORS[i % COLORS.length]} />
          ))}
        </Bar>
      </BarChart>
      <figcaption className="chart-caption">{summary}</figcaption>
    </figure>
  );
}
