"use client";

import { useState, type FormEvent } from "react";
import { describePricing } from "@/lib/domain/economics/calibration-cases";
import { ruleToPython, ruleToTypeScript } from "@/lib/domain/economics/rule-snippets";
import type { EvalRun } from "@/lib/schemas/evals";
import type { ModelVersionDetail } from "@/lib/schemas/models";
import type { RoutingCalibration } from "@/lib/schemas/routing-calibration";
import { formatShare, formatUsd } from "@/lib/client/format-units";
import { useEvalRuns } from "@/lib/client/hooks/evals";
import { useCalibrateRouting, useRoutingCalibration } from "@/lib/client/hooks/routing";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canEdit } from "@/lib/client/permissions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { QueryView } from "@/components/ui/query-view";
import { Select } from "@/components/ui/select";
import { TimeStamp } from "@/components/ui/time-stamp";
import { RoutingCurveChart } from "./routing-curve-chart";
import {
  candidateRuns,
  frontierRuns,
  INITIAL_ROUTING_FORM,
  routingBody,
  runOptionLabel,
  type RoutingForm,
} from "./routing-form-state";
import { CopyButton } from "./version-panels";

const SIGNAL_OPTIONS = [
  { value: "mean_logprob", label: "Mean token log-probability" },
  { value: "min_logprob", label: "Minimum token log-probability" },
];

/**
 * Routing on the version page (issue #17): the newest calibration of "escalate to the frontier
 * when the small model's output is invalid or its confidence < τ" — the sweep, the chosen τ and
 * the rule to drop into an agent — and a form to run a new one from two finished runs of a suite.
 */
export function RoutingCard({ version }: { version: ModelVersionDetail }) {
  const calibration = useRoutingCalibration(version.id);
  return (
    <Card aria-labelledby="routing-title">
      <CardHeader
        title={<span id="routing-title">Routing</span>}
        description="Keep routine calls on this version and escalate the rest to a frontier model, by the confidence of its output."
      />
      <CardBody>
        <div className="stack-lg">
          <QueryView
            query={calibration}
            loading="Loading the routing calibration…"
            rows={3}
            errorTitle="Could not load the routing calibration"
            isEmpty={(c) => c === null}
            empty={
              <EmptyState
                title="No routing calibration yet"
                description="Run the Model's suite on this version and on a frontier endpoint, then calibrate below: the curve shows how many calls this version can keep at each confidence threshold, and at what accuracy and cost."
              />
            }
          >
            {(c) => (c ? <CalibrationView calibration={c} /> : null)}
          </QueryView>
          <CalibrateForm version={version} />
        </div>
      </CardBody>
    </Card>
  );
}

function CalibrationView({ calibration: c }: { calibration: RoutingCalibration }) {
  const chosen = c.chosen;
  const frontier = c.curve.frontierOnly;
  return (
    <div className="stack" data-testid="routing-calibration">
      <p className="muted">
        On {c.suite.name} ({c.stats.cases} cases, right by {c.metric}): {c.candidateRun.label}{" "}
        against {c.frontierRun.label}, calibrated <TimeStamp iso={c.createdAt} />.
      </p>
      <dl className="fact-row">
        <div>
          <dt>Chosen τ</dt>
          <dd className="mono" data-testid="routing-threshold">
            {c.rule ? String(c.rule.minConfidence) : "—"}
          </dd>
        </div>
        <div>
          <dt>Kept by this version</dt>
          <dd className="mono">{chosen ? formatShare(chosen.keptShare) : "—"}</dd>
        </div>
        <div>
          <dt>Hybrid accuracy</dt>
          <dd className="mono">
            {chosen ? formatShare(chosen.hybridAccuracy) : "—"}{" "}
            <span className="muted">(frontier only {formatShare(frontier.accuracy)})</span>
          </dd>
        </div>
        <div>
          <dt>Per 1,000 calls</dt>
          <dd className="mono">
            {chosen ? formatUsd(chosen.costPer1kUsd) : "—"}{" "}
            <span className="muted">(frontier only {formatUsd(frontier.costPer1kUsd)})</span>
          </dd>
        </div>
      </dl>
      {chosen && !c.curve.chosenBeatsFrontierOnly && (
        <Notice tone="warning">
          No threshold within {formatShare(c.margin)} of frontier-only accuracy is cheaper than
          sending every call to the frontier model on these cases.
        </Notice>
      )}
      {(c.stats.withoutConfidence > 0 || c.stats.invalid > 0) && (
        <p className="muted">
          {c.stats.invalid} of {c.stats.cases} outputs of this version were invalid
          {c.escalateWhenInvalid ? " (always escalated)" : ""}; {c.stats.withoutConfidence} had no
          token log-probabilities (kept only at τ = -inf).
        </p>
      )}
      <RoutingCurveChart curve={c.curve} />
      <p className="muted">
        Prices: this version — {describePricing(c.pricesUsed.candidate)}; frontier —{" "}
        {describePricing(c.pricesUsed.frontier)}.
      </p>
      {c.rule && (
        <div className="stack">
          <p>
            <Badge tone="success">Rule</Badge> {c.ruleDescription}
          </p>
          <Snippet label="Rule as JSON" text={JSON.stringify(c.rule, null, 2)} />
          <Snippet label="TypeScript" text={ruleToTypeScript(c.rule)} />
          <Snippet label="Python" text={ruleToPython(c.rule)} />
        </div>
      )}
    </div>
  );
}

function Snippet({ label, text }: { label: string; text: string }) {
  return (
    <div className="stack">
      <div className="inline-gap">
        <span className="field-label">{label}</span>
        <CopyButton text={text} label={`Copy ${label}`} />
      </div>
      <pre className="code-block" aria-label={label} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}

/** Shown to those who may write: the version's finished runs are the candidate's choices. */
function CalibrateForm({ version }: { version: ModelVersionDetail }) {
  const active = useActiveTeam();
  const mine = useEvalRuns({ modelVersionId: version.id });
  if (!canEdit(active?.team.role)) return null;
  if (mine.isPending) return <p className="muted">Loading this version&apos;s eval runs…</p>;
  if (mine.isError)
    return <p className="field-error">Could not load this version&apos;s eval runs.</p>;
  const candidates = candidateRuns(mine.data, version.id);
  if (candidates.length === 0)
    return (
      <p className="muted">
        To calibrate, this version needs a finished eval run, and its suite a finished run on a
        frontier endpoint.
      </p>
    );
  return <CalibrateFields version={version} candidates={candidates} />;
}

function CalibrateFields({
  version,
  candidates,
}: {
  version: ModelVersionDetail;
  candidates: readonly EvalRun[];
}) {
  const [form, setForm] = useState<RoutingForm>(INITIAL_ROUTING_FORM);
  const [error, setError] = useState<string | null>(null);
  const candidate = candidates.find((r) => r.id === form.candidateRunId) ?? candidates[0]!;
  const suiteRuns = useEvalRuns({ suiteId: candidate.suiteId });
  const frontiers = frontierRuns(suiteRuns.data ?? [], candidate, version.id);
  const frontier = frontiers.find((r) => r.id === form.frontierRunId) ?? frontiers[0];
  const calibrate = useCalibrateRouting(version.id);
  const set = (patch: Partial<RoutingForm>) => {
    setError(null);
    setForm((f) => ({ ...f, ...patch }));
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = routingBody({
      ...form,
      candidateRunId: candidate.id,
      frontierRunId: frontier?.id ?? "",
    });
    if (!r.ok) return setError(r.error);
    calibrate.mutate(r.body, { onError: (x) => setError(x.message) });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Calibrate routing">
      <h3 className="field-label">Calibrate</h3>
      <div className="two-col">
        <Field label="Run of this version">
          <Select
            value={candidate.id}
            onChange={(e) => set({ candidateRunId: e.target.value, frontierRunId: "" })}
            options={candidates.map((r) => ({ value: r.id, label: runOptionLabel(r) }))}
          />
        </Field>
        <Field
          label="Frontier run on the same suite"
          hint={
            frontiers.length === 0 && !suiteRuns.isPending
              ? "No other finished run of this suite: run it on a frontier endpoint from Evals."
              : undefined
          }
        >
          <Select
            value={frontier?.id ?? ""}
            onChange={(e) => set({ frontierRunId: e.target.value })}
            options={
              frontiers.length > 0
                ? frontiers.map((r) => ({ value: r.id, label: runOptionLabel(r) }))
                : [{ value: "", label: "—", disabled: true }]
            }
          />
        </Field>
        <Field label="Confidence signal">
          <Select
            value={form.signal}
            onChange={(e) => set({ signal: e.target.value as RoutingForm["signal"] })}
            options={SIGNAL_OPTIONS}
          />
        </Field>
        <Field
          label="Margin (accuracy points)"
          hint="How much accuracy the hybrid may lose against frontier-only."
        >
          <Input
            type="number"
            min={0}
            max={100}
            step={0.1}
            value={form.marginPoints}
            onChange={(e) => set({ marginPoints: e.target.value })}
          />
        </Field>
      </div>
      <Checkbox
        label="Escalate invalid outputs"
        description="An unparsed call, a tool the case does not offer or arguments that fail the tool's schema always go to the frontier."
        checked={form.escalateWhenInvalid}
        onChange={(e) => set({ escalateWhenInvalid: e.target.checked })}
      />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" loading={calibrate.isPending} disabled={!frontier}>
          Calibrate
        </Button>
      </div>
    </form>
  );
}

/**
 * The version's newest routing curve without the form, for pages that show the version against
 * something else (the compare page): how far this version can stand in for the frontier model.
 */
export function RoutingCurveCard({ versionId }: { versionId: string }) {
  const calibration = useRoutingCalibration(versionId);
  return (
    <Card aria-labelledby="routing-curve-title">
      <CardHeader
        title={<span id="routing-curve-title">Routing against the frontier model</span>}
        description="The version's newest routing calibration: accuracy and cost as it keeps more calls."
      />
      <CardBody>
        <QueryView
          query={calibration}
          loading="Loading the routing calibration…"
          rows={2}
          errorTitle="Could not load the routing calibration"
          isEmpty={(c) => c === null}
          empty={
            <p className="muted">
              Not calibrated yet: calibrate on the version page with a frontier run of the suite.
            </p>
          }
        >
          {(c) =>
            c ? (
              <div className="stack">
                <p className="muted">
                  {c.candidateRun.label} against {c.frontierRun.label} on {c.suite.name}
                  {c.rule ? `; chosen τ ${String(c.rule.minConfidence)}` : ""}.
                </p>
                <RoutingCurveChart curve={c.curve} height={220} />
              </div>
            ) : null
          }
        </QueryView>
      </CardBody>
    </Card>
  );
}
