"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { RunMetrics } from "@/lib/schemas/eval-metrics";
import type { RunSlices } from "@/lib/schemas/evals";
import { SLICE_BYS, type SliceBy } from "@/lib/schemas/gates";
import { formatMetricValue, metricLabel, metricsPresent } from "@/lib/client/eval-metrics";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

const BY_LABEL: Record<SliceBy, string> = {
  turn: "Turn",
  category: "Category",
  tool: "Expected tool",
  intent: "Intent",
};
const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };

/** Turns sort as numbers ("10" after "9"); other keys alphabetically. */
function sortedKeys(by: SliceBy, keys: string[]): string[] {
  return by === "turn"
    ? [...keys].sort((a, b) => Number(a) - Number(b))
    : [...keys].sort((a, b) => a.localeCompare(b));
}

/**
 * A finished run's case metrics per slice: per turn in an every-turn suite, per category for a
 * BFCL import, per expected tool and intent. The chart shows the first accuracy the run has
 * (tool_call_accuracy when scored); the table shows every case metric with each slice's size.
 */
export function RunSlicesCard({ slices }: { slices: RunSlices }) {
  // Turns and categories first: they are what a multi-turn or BFCL suite is read by.
  const present = SLICE_BYS.filter((b) => slices[b] && Object.keys(slices[b]!).length > 0).sort(
    (a, b) =>
      ["turn", "category", "tool", "intent"].indexOf(a) -
      ["turn", "category", "tool", "intent"].indexOf(b),
  );
  const [chosen, setChosen] = useState<SliceBy | null>(null);
  const by = chosen && present.includes(chosen) ? chosen : (present[0] ?? null);
  return (
    <Card aria-labelledby="slices-title">
      <CardHeader
        title={<span id="slices-title">By slice</span>}
        description="Case metrics per turn, category, expected tool or intent: the groups a gate's slice conditions compare."
        actions={
          present.length > 1 && by ? (
            <Select
              aria-label="Slice by"
              value={by}
              onChange={(e) => setChosen(e.currentTarget.value as SliceBy)}
              options={present.map((b) => ({ value: b, label: `By ${BY_LABEL[b].toLowerCase()}` }))}
            />
          ) : undefined
        }
      />
      <CardBody>
        {by === null ? (
          <EmptyState
            title="No slices"
            description="Slices appear when the run finishes; runs scored before slices were stored have none."
          />
        ) : (
          <SliceView by={by} groups={slices[by]!} />
        )}
      </CardBody>
    </Card>
  );
}

function SliceView({
  by,
  groups,
}: {
  by: SliceBy;
  groups: Record<string, { cases: number; metrics: RunMetrics }>;
}) {
  const keys = sortedKeys(by, Object.keys(groups));
  const metrics = metricsPresent(keys.map((k) => groups[k]!.metrics));
  const charted = metrics.includes("tool_call_accuracy") ? "tool_call_accuracy" : metrics[0];
  const data = keys.map((k) => ({
    key: by === "turn" ? `turn ${k}` : k,
    value: charted ? (groups[k]!.metrics[charted as keyof RunMetrics] ?? null) : null,
  }));
  const summary = data
    .map((d) => `${d.key} ${charted ? formatMetricValue(charted, d.value) : ""}`)
    .join(", ");
  return (
    <div className="stack">
      {charted && (
        <figure
          className="chart-figure"
          aria-label={`${metricLabel(charted)} by ${BY_LABEL[by].toLowerCase()}: ${summary}`}
        >
          <figcaption className="metric-chart-title">
            {metricLabel(charted)} by {BY_LABEL[by].toLowerCase()}
          </figcaption>
          <BarChart
            responsive
            style={{ width: "100%", height: 200 }}
            data={data}
            margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
          >
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey="key"
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
            <Tooltip
              formatter={(v) => formatMetricValue(charted, Number(v))}
              cursor={{ fill: "var(--bg-hover)" }}
            />
            <Bar
              dataKey="value"
              name={metricLabel(charted)}
              fill="var(--accent)"
              radius={[2, 2, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </figure>
      )}
      <Table caption={`Case metrics by ${BY_LABEL[by].toLowerCase()}`}>
        <THead>
          <Tr>
            <Th>{BY_LABEL[by]}</Th>
            <Th align="right">Cases</Th>
            {metrics.map((m) => (
              <Th key={m} align="right">
                {metricLabel(m)}
              </Th>
            ))}
          </Tr>
        </THead>
        <TBody>
          {keys.map((k) => (
            <Tr key={k}>
              <Td className="mono">{k}</Td>
              <Td align="right" className="mono">
                {groups[k]!.cases}
              </Td>
              {metrics.map((m) => (
                <Td key={m} align="right" className="mono">
                  {formatMetricValue(m, groups[k]!.metrics[m as keyof RunMetrics])}
                </Td>
              ))}
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
