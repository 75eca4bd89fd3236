"use client";

import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceDot,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { RoutingCurve } from "@/lib/schemas/economics";
import { formatShare, formatUsd } from "@/lib/client/format-units";
import { curveData, type CurveDatum } from "./routing-form-state";

const TICK = { fill: "var(--text-muted)", fontSize: 11, fontFamily: "var(--mono)" };
const ACCURACY = "var(--accent)";
const COST = "var(--warning)";

function CurveTooltip({ active, payload }: TooltipContentProps) {
  const d = payload?.[0]?.payload as CurveDatum | undefined;
  if (!active || !d) return null;
  return (
    <div className="chart-tooltip">
      <p className="mono">
        τ = {d.tau}
        {d.chosen ? " (chosen)" : ""}
      </p>
      <p>
        kept by the small model: <strong className="mono">{formatShare(d.keptShare)}</strong>
      </p>
      <p>
        hybrid accuracy: <strong className="mono">{formatShare(d.hybridAccuracy)}</strong>
      </p>
      <p>
        per 1,000 calls: <strong className="mono">{formatUsd(d.costPer1kUsd)}</strong>
      </p>
    </div>
  );
}

/**
 * The threshold sweep: hybrid accuracy (left axis) and cost per 1,000 calls (right axis)
 * against the share of calls the small model keeps, one point per τ. Dashed: frontier-only
 * accuracy; the chosen τ is the ringed point and the vertical line.
 */
export function RoutingCurveChart({
  curve,
  height = 260,
}: {
  curve: RoutingCurve;
  height?: number;
}) {
  const data = curveData(curve);
  const chosen = data.find((d) => d.chosen);
  const maxCost = Math.max(curve.frontierOnly.costPer1kUsd, ...data.map((d) => d.costPer1kUsd));
  const title = "Hybrid accuracy and cost by share kept";
  const summary =
    `${data.length} thresholds; frontier only: accuracy ${formatShare(curve.frontierOnly.accuracy)}, ` +
    `${formatUsd(curve.frontierOnly.costPer1kUsd)} per 1,000 calls` +
    (chosen
      ? `; chosen τ ${chosen.tau} keeps ${formatShare(chosen.keptShare)} at accuracy ` +
        `${formatShare(chosen.hybridAccuracy)}, ${formatUsd(chosen.costPer1kUsd)} per 1,000 calls`
      : "; no threshold chosen");
  return (
    <figure
      className="chart-figure"
      aria-label={`${title}. ${summary}`}
      data-testid="routing-curve"
    >
      <figcaption className="metric-chart-head">
        <span className="metric-chart-title">{title}</span>
        <span className="metric-chart-last">
          <span className="legend-dot" style={{ background: ACCURACY }} aria-hidden="true" /> hybrid
          accuracy
        </span>
        <span className="metric-chart-last">
          <span className="legend-dot" style={{ background: COST }} aria-hidden="true" /> cost per
          1,000 calls
        </span>
        <span className="metric-chart-last">dashed: frontier-only accuracy</span>
      </figcaption>
      <ComposedChart
        responsive
        style={{ width: "100%", height }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 16, left: 0 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" />
        <XAxis
          dataKey="keptShare"
          type="number"
          domain={[0, 1]}
          tick={TICK}
          tickLine={false}
          axisLine={{ stroke: "var(--border)" }}
          tickFormatter={(n: number) => `${Math.round(n * 100)}%`}
          label={{
            value: "share kept by the small model",
            position: "insideBottom",
            offset: -10,
            fill: "var(--text-muted)",
            fontSize: 11,
          }}
        />
        <YAxis
          yAxisId="accuracy"
          domain={[0, 1]}
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={44}
          tickFormatter={(n: number) => `${Math.round(n * 100)}%`}
        />
        <YAxis
          yAxisId="cost"
          orientation="right"
          domain={[0, maxCost > 0 ? maxCost * 1.1 : 1]}
          tick={TICK}
          tickLine={false}
          axisLine={false}
          width={64}
          tickFormatter={(n: number) => formatUsd(n)}
        />
        <Tooltip content={CurveTooltip} />
        <ReferenceLine
          yAxisId="accuracy"
          y={curve.frontierOnly.accuracy}
          stroke={ACCURACY}
          strokeDasharray="4 3"
        />
        {chosen && (
          <ReferenceLine
            yAxisId="accuracy"
            x={chosen.keptShare}
            stroke="var(--success)"
            strokeDasharray="2 2"
          />
        )}
        <Line
          yAxisId="accuracy"
          dataKey="hybridAccuracy"
          name="hybrid accuracy"
          stroke={ACCURACY}
          dot={{ r: 2 }}
          isAnimationActive={false}
        />
        <Line
          yAxisId="cost"
          dataKey="costPer1kUsd"
          name="cost per 1,000 calls"
          stroke={COST}
          dot={{ r: 2 }}
          isAnimationActive={false}
        />
        {chosen && (
          <ReferenceDot
            yAxisId="accuracy"
            x={chosen.keptShare}
            y={chosen.hybridAccuracy}
            r={6}
            fill="none"
            stroke="var(--success)"
            strokeWidth={2}
          />
        )}
      </ComposedChart>
    </figure>
  );
}
