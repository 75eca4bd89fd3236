"use client";

import Link from "next/link";
import { useState } from "react";
import type { TelemetrySummary } from "@/lib/schemas/telemetry";
import { formatCount } from "@/lib/client/format-units";
import { useTelemetrySummary } from "@/lib/client/hooks/telemetry";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-panel";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { telemetryPoints } from "./chart-data";
import { formatCostUsd, formatMs, formatPercent } from "./format";
import { TelemetrySeriesChart } from "./telemetry-charts";
import { telemetryCurlExample } from "./telemetry-example";

export const TELEMETRY_WINDOWS = ["1h", "24h", "7d"] as const;
type TelemetryWindow = (typeof TELEMETRY_WINDOWS)[number];

const WINDOW_LABEL: Record<TelemetryWindow, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
};

/** Shown top N; the rest are summed into "others". */
const TOP = 8;

function WindowPicker({
  value,
  onChange,
}: {
  value: TelemetryWindow;
  onChange: (w: TelemetryWindow) => void;
}) {
  return (
    <div role="group" aria-label="Telemetry window" className="inline-gap">
      {TELEMETRY_WINDOWS.map((w) => (
        <button
          key={w}
          type="button"
          className={w === value ? "btn btn-sm btn-primary" : "btn btn-sm btn-ghost"}
          aria-pressed={w === value}
          title={WINDOW_LABEL[w]}
          onClick={() => onChange(w)}
        >
          {w}
        </button>
      ))}
    </div>
  );
}

function NoTelemetry({ modelName, win }: { modelName: string; win: TelemetryWindow }) {
  return (
    <EmptyState
      title={`No telemetry in the ${WINDOW_LABEL[win].toLowerCase()}`}
      description={
        <>
          <p>
            Production posts one event per call of this component to{" "}
            <code>POST /api/v1/telemetry</code> (JSON <code>{"{ events: [...] }"}</code> or NDJSON,
            gzip accepted), with an API key that has the <strong>telemetry</strong> scope — create
            one in <Link href="/settings/api-keys">Settings → API keys</Link>. Monitors read it;
            opted-in full interactions go to <code>POST /api/v1/traces</code> and become retraining
            data.
          </p>
          <div style={{ textAlign: "left" }}>
            <CodeBlock label="Example: post one event" text={telemetryCurlExample(modelName)} />
          </div>
        </>
      }
    />
  );
}

function CountList({
  label,
  items,
  total,
}: {
  label: string;
  items: TelemetrySummary["tools"];
  total: number;
}) {
  const sorted = [...items].sort((a, b) => b.count - a.count);
  const top = sorted.slice(0, TOP);
  const rest = sorted.slice(TOP).reduce((n, t) => n + t.count, 0);
  const rows = rest > 0 ? [...top, { name: `${sorted.length - TOP} others`, count: rest }] : top;
  return (
    <div className="stack">
      <h3 className="field-label">{label}</h3>
      {rows.length === 0 ? (
        <p className="muted small">None reported.</p>
      ) : (
        <ul className="share-list" aria-label={label}>
          {rows.map((t) => (
            <li key={t.name} className="share-row">
              <span className="share-name mono" title={t.name}>
                {t.name}
              </span>
              <meter
                className="share-meter"
                min={0}
                max={1}
                value={total > 0 ? t.count / total : 0}
                aria-label={`${t.name} share`}
              />
              <span className="share-value mono">{formatCount(t.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TelemetryBody({ summary }: { summary: TelemetrySummary }) {
  const points = telemetryPoints(summary.series);
  const toolTotal = summary.tools.reduce((n, t) => n + t.count, 0);
  const intentTotal = summary.intents.reduce((n, t) => n + t.count, 0);
  return (
    <CardBody>
      <dl className="fact-row" aria-label="Telemetry headline numbers">
        <div>
          <dt>Events</dt>
          <dd className="mono" data-testid="telemetry-samples">
            {formatCount(summary.samples)}
          </dd>
        </div>
        <div>
          <dt>Failure rate</dt>
          <dd className="mono">{formatPercent(summary.rates.failure)}</dd>
        </div>
        <div>
          <dt>Tool-call error rate</dt>
          <dd className="mono" data-testid="telemetry-tool-call-error-rate">
            {formatPercent(summary.rates.toolCallError)}
          </dd>
        </div>
        <div>
          <dt>Escalation rate</dt>
          <dd className="mono">{formatPercent(summary.rates.escalation)}</dd>
        </div>
        <div>
          <dt>Latency p95 / mean</dt>
          <dd className="mono">
            {formatMs(summary.latencyP95Ms)} / {formatMs(summary.latencyMeanMs)}
          </dd>
        </div>
        <div>
          <dt>Cost per call / total</dt>
          <dd className="mono">
            {formatCostUsd(summary.costPerCallUsd)} / {formatCostUsd(summary.costUsd)}
          </dd>
        </div>
      </dl>
      <div
        className="chart-grid"
        style={{ gridTemplateColumns: "repeat(auto-fit, minmax(240px, 1fr))" }}
      >
        <TelemetrySeriesChart
          title="Tool-call error rate"
          metric="tool_call_error_rate"
          dataKey="toolCallErrorRate"
          points={points}
          overall={summary.rates.toolCallError}
          color="var(--danger)"
        />
        <TelemetrySeriesChart
          title="Failure rate"
          metric="failure_rate"
          dataKey="failureRate"
          points={points}
          overall={summary.rates.failure}
          color="var(--warning)"
        />
        <TelemetrySeriesChart
          title="Escalation rate"
          metric="escalation_rate"
          dataKey="escalationRate"
          points={points}
          overall={summary.rates.escalation}
          color="var(--info)"
        />
        <TelemetrySeriesChart
          title="Latency p95"
          metric="latency_p95_ms"
          dataKey="latencyP95Ms"
          points={points}
          overall={summary.latencyP95Ms}
        />
      </div>
      <div className="two-col">
        <CountList label="Top tools" items={summary.tools} total={toolTotal} />
        <CountList label="Top intents" items={summary.intents} total={intentTotal} />
      </div>
    </CardBody>
  );
}

/** The Model's production telemetry over a chosen window: rates, latency, cost and the tool mix. */
export function TelemetryPanel({ modelId, modelName }: { modelId: string; modelName: string }) {
  const [win, setWin] = useState<TelemetryWindow>("24h");
  const summary = useTelemetrySummary(modelId, win);
  return (
    <Card aria-labelledby="telemetry-title" aria-busy={summary.isFetching || undefined}>
      <CardHeader
        title={<span id="telemetry-title">Production telemetry</span>}
        description="What production reports for each call; monitors check these numbers."
        actions={<WindowPicker value={win} onChange={setWin} />}
      />
      <QueryView
        query={summary}
        loading="Loading telemetry…"
        rows={3}
        errorTitle="Could not load telemetry"
        isEmpty={(telemetry) => telemetry.samples === 0}
        empty={<NoTelemetry modelName={modelName} win={win} />}
      >
        {(telemetry) => <TelemetryBody summary={telemetry} />}
      </QueryView>
    </Card>
  );
}
