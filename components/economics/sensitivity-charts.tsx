"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { PlannerInput, PlannerResult, SensitivityPoint } from "@/lib/schemas/economics";
import {
  formatCalls,
  formatCallsCompact,
  formatMoney,
  formatMoneyCompact,
  formatPct,
} from "./format";
import { routineShareSummary, volumeSummary } from "./sensitivity-summary";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };

const SERIES = [
  { key: "frontierOnlyUsd", name: "Frontier-only", color: "var(--text-faint)", dash: "5 4" },
  {
    key: "hybridUsd",
    name: "Hybrid (running + re-tunes)",
    color: "var(--accent)",
    dash: undefined,
  },
  {
    key: "hybridEndToEndUsd",
    name: "Hybrid with the project spread over the horizon",
    color: "var(--warning)",
    dash: "2 3",
  },
] as const;

function CostTooltip({
  active,
  payload,
  label,
  formatX,
}: TooltipContentProps & { formatX: (x: number) => string }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">{formatX(Number(label))}</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)}>
          <span className="legend-dot" style={{ background: p.color }} aria-hidden="true" />{" "}
          {p.name}: <strong className="mono">{formatMoney(Number(p.value))}</strong>
        </p>
      ))}
    </div>
  );
}

function CostChart({
  testId,
  title,
  summary,
  points,
  marker,
  markerLabel,
  breakEven,
  log,
  formatX,
  formatTick,
  height = 240,
}: {
  testId: string;
  title: string;
  summary: string;
  points: readonly SensitivityPoint[];
  marker: number;
  markerLabel: string;
  breakEven?: number | null;
  log?: boolean;
  formatX: (x: number) => string;
  formatTick: (x: number) => string;
  height?: number;
}) {
  const xs = points.map((p) => p.x);
  return (
    <figure className="chart-figure" aria-label={summary} data-testid={testId}>
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">{title}</span>
      </figcaption>
      <LineChart
        responsive
        style={{ width: "100%", height }}
        data={points as SensitivityPoint[]}
        margin={{ top: 8, right: 16, bottom: 4, left: 4 }}
      >
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis
          dataKey="x"
          type="number"
          scale={log ? "log" : "linear"}
          domain={[Math.min(...xs), Math.max(...xs)]}
          allowDataOverflow
          tick={TICK}
          tickLine={false}
          axisLine={{ stroke: "var(--border)" }}
          tickFormatter={formatTick}
          minTickGap={20}
        />
        <YAxis
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={56}
          tickFormatter={(n: number) => formatMoneyCompact(n)}
        />
        <Tooltip content={(props) => <CostTooltip {...props} formatX={formatX} />} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <ReferenceLine
          x={marker}
          stroke="var(--text-muted)"
          strokeDasharray="3 3"
          label={{ value: markerLabel, position: "insideTopRight", fontSize: 11 }}
        />
        {breakEven != null && breakEven > 0 && (
          <ReferenceLine
            x={breakEven}
            stroke="var(--success)"
            strokeDasharray="4 2"
            label={{ value: "break-even", position: "insideTopLeft", fontSize: 11 }}
          />
        )}
        {SERIES.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.name}
            type="monotone"
            stroke={s.color}
            strokeWidth={s.key === "hybridUsd" ? 2 : 1.5}
            strokeDasharray={s.dash}
            dot={false}
            isAnimationActive={false}
            className={`cost-line-${s.key}`}
          />
        ))}
      </LineChart>
      <p className="muted small">{summary}</p>
    </figure>
  );
}

/** Monthly cost against routine share and against volume; both follow the planner's inputs. */
export function SensitivityCharts({
  input,
  result,
}: {
  input: PlannerInput;
  result: PlannerResult;
}) {
  return (
    <div className="two-col">
      <CostChart
        testId="sensitivity-routine-share"
        title="Monthly cost against routine share"
        summary={routineShareSummary(input, result)}
        points={result.sensitivity.byRoutineShare}
        marker={input.routineShare}
        markerLabel={`${formatPct(input.routineShare)} (yours)`}
        formatX={(x) => `${formatPct(x)} routine`}
        formatTick={(x) => formatPct(x)}
      />
      <CostChart
        testId="sensitivity-volume"
        title="Monthly cost against invocations per month"
        summary={volumeSummary(input, result)}
        points={result.sensitivity.byVolume}
        marker={Math.max(input.invocationsPerMonth, 1)}
        markerLabel="yours"
        breakEven={result.breakEven.endToEndInvocationsPerMonth}
        log
        formatX={(x) => `${formatCalls(x)} invocations a month`}
        formatTick={formatCallsCompact}
      />
    </div>
  );
}
