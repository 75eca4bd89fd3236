"use client";

import { useState, type ReactNode } from "react";
import type { ModelEconomics } from "@/lib/schemas/model-economics";
import { formatCount, formatShare, formatUsd } from "@/lib/client/format-units";
import { useModelEconomics } from "@/lib/client/hooks/model-economics";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { EconomicsChart } from "./economics-chart";
import { economicsChartPoints, savingsPhrase } from "./economics-chart-data";

export const ECONOMICS_WINDOWS = [7, 30, 90] as const;
type EconomicsWindow = (typeof ECONOMICS_WINDOWS)[number];

const dayFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

function WindowPicker({
  value,
  onChange,
}: {
  value: EconomicsWindow;
  onChange: (w: EconomicsWindow) => void;
}) {
  return (
    <div role="group" aria-label="Economics window" className="inline-gap">
      {ECONOMICS_WINDOWS.map((w) => (
        <button
          key={w}
          type="button"
          className={w === value ? "btn btn-sm btn-primary" : "btn btn-sm btn-ghost"}
          aria-pressed={w === value}
          title={`Last ${w} days (UTC)`}
          onClick={() => onChange(w)}
        >
          {w}d
        </button>
      ))}
    </div>
  );
}

function Stat({
  name,
  value,
  sub,
  testId,
}: {
  name: string;
  value: string;
  sub: ReactNode;
  testId?: string;
}) {
  return (
    <Card aria-label={name} className="stat-card">
      <p className="stat-name">{name}</p>
      <p className="stat-value">
        <span className="stat-number" data-testid={testId}>
          {value}
        </span>
      </p>
      <p className="stat-sub">{sub}</p>
    </Card>
  );
}

/** A call's cost keeps three significant digits ($0.0126, $0.000626): cents would hide it. */
const perCallUsd = (n: number | null) =>
  n === null ? "—" : n > 0 && n < 1 ? `$${Number(n.toPrecision(3))}` : formatUsd(n);

const calls = (n: number) => `${formatCount(n)} ${n === 1 ? "call" : "calls"}`;

function EconomicsBody({ e }: { e: ModelEconomics }) {
  const t = e.totals;
  const r = e.retune;
  const days = e.window.days;
  return (
    <CardBody>
      <div className="stack-lg">
        <div className="stat-grid" role="group" aria-label="Traffic and cost per call">
          <Stat
            name="Calls per day"
            value={e.callsPerDay === null ? "—" : formatCount(Math.round(e.callsPerDay))}
            sub={`${calls(t.calls)} on ${e.daysWithCalls} of ${days} days`}
            testId="economics-calls-per-day"
          />
          <Stat
            name="Kept by the small model"
            value={e.keptShare === null ? "—" : formatShare(e.keptShare)}
            sub={
              t.routeKnown === 0
                ? "no call reported escalated"
                : `${formatCount(t.escalated)} escalated of ${calls(t.routeKnown)} reporting it`
            }
            testId="economics-kept-share"
          />
          <Stat
            name="Cost per call, small model"
            value={perCallUsd(t.costPerCall.kept.usd)}
            sub={`mean of ${calls(t.costPerCall.kept.calls)} kept`}
          />
          <Stat
            name="Cost per call, escalated"
            value={perCallUsd(t.costPerCall.escalated.usd)}
            sub={`mean of ${calls(t.costPerCall.escalated.calls)} escalated`}
          />
        </div>
        <div className="stat-grid" role="group" aria-label={`Cost over the last ${days} days`}>
          <Stat
            name={`Actual, last ${days} days`}
            value={formatUsd(e.summary.actualUsd)}
            sub={`${calls(t.costedCalls)} that reported a cost`}
            testId="economics-actual"
          />
          <Stat
            name="Frontier-only"
            value={formatUsd(e.summary.frontierOnlyUsd)}
            sub={
              t.costPerCall.escalated.usd === null
                ? "no escalated call reported a cost"
                : `every call at ${perCallUsd(t.costPerCall.escalated.usd)} (escalated)`
            }
            testId="economics-frontier-only"
          />
          <Stat
            name="Re-tunes, amortised"
            value={formatUsd(e.summary.retuneUsd)}
            sub={
              r.perTuneUsd === null
                ? "no training job has succeeded yet"
                : `${formatUsd(r.perTuneUsd)} a tune, every ${r.cadence.months.toFixed(1)} months${
                    r.cadence.source === "default" ? " (default)" : ""
                  }`
            }
          />
          <Stat
            name={`Savings, last ${days} days`}
            value={savingsPhrase(e.summary.savingsUsd, formatUsd)}
            sub="frontier-only − actual − re-tunes"
            testId="economics-savings"
          />
          <Stat
            name="Savings to date"
            value={savingsPhrase(e.toDate.savingsUsd, formatUsd)}
            sub={
              e.toDate.since === null
                ? "no telemetry held"
                : `since ${dayFormat.format(Date.parse(e.toDate.since))}, net of ${formatUsd(
                    e.toDate.spendUsd,
                  )} training and eval`
            }
          />
        </div>
        <EconomicsChart points={economicsChartPoints(e.daily)} />
        <div className="stack">
          <h3 className="field-label">What these figures rest on</h3>
          <ul className="muted small" data-testid="economics-basis">
            {e.basis.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      </div>
    </CardBody>
  );
}

function NoTelemetry({ days }: { days: number }) {
  return (
    <EmptyState
      title={`No telemetry in the last ${days} days`}
      description={
        <p>
          Live economics come from production telemetry: post one event per call to{" "}
          <code>POST /api/v1/telemetry</code> with <code>escalated</code> (whether the call went to
          the frontier) and <code>costUsd</code> (what it cost). Calls, the share the small model
          kept, the cost of each route and the frontier-only comparison appear here once events
          arrive.
        </p>
      }
    />
  );
}

/**
 * A Model's live economics: what its hybrid (fine-tuned small model, escalations to a frontier
 * model) costs in production against every call going to the frontier, with the re-tunes'
 * spend amortised, from the telemetry rollups (GET /api/v1/models/{id}/economics).
 */
export function ModelEconomicsPanel({ modelId }: { modelId: string }) {
  const [days, setDays] = useState<EconomicsWindow>(30);
  const economics = useModelEconomics(modelId, days);
  return (
    <Card aria-labelledby="economics-title" aria-busy={economics.isFetching || undefined}>
      <CardHeader
        title={<span id="economics-title">Economics</span>}
        description="Production cost of the hybrid against sending every call to the frontier."
        actions={<WindowPicker value={days} onChange={setDays} />}
      />
      <QueryView
        query={economics}
        loading="Loading economics…"
        rows={3}
        errorTitle="Could not load the economics"
        isEmpty={(e) => !e.hasTelemetry}
        empty={<NoTelemetry days={days} />}
      >
        {(e) => <EconomicsBody e={e} />}
      </QueryView>
    </Card>
  );
}
