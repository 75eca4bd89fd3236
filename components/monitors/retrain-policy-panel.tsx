"use client";

import { useState, type ReactNode } from "react";
import type { RetrainPolicy, RetrainRequest } from "@/lib/schemas/retrain";
import { fieldErrors } from "@/lib/client/api";
import { formatCount, formatUsd } from "@/lib/client/format-units";
import { useDatasetVersionOptions } from "@/lib/client/hooks/version-options";
import { datasetVersionLabel } from "@/lib/client/version-option-labels";
import {
  useDeleteRetrainPolicy,
  usePutRetrainPolicy,
  useRetrainPolicy,
  useRunRetrainNow,
} from "@/lib/client/hooks/retrain";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { QueryView } from "@/components/ui/query-view";
import { TimeStamp } from "@/components/ui/time-stamp";
import { RETRAIN_STATUS_LABEL } from "./labels";
import { needsErrorBanner } from "./monitor-form";
import { RetrainPolicyFields } from "./retrain-policy-fields";
import {
  describeSchedule,
  formToPolicyBody,
  POLICY_FIELD_KEYS,
  policyToForm,
  type RetrainPolicyFormState,
} from "./retrain-policy-form";

/** `baseName`: the base dataset version as people know it ("refund-calls · v2"). */
function recipeSentence(policy: RetrainPolicy, baseName: string | null): string {
  const r = policy.datasetRecipe;
  const kinds = [
    ...r.outcomes.map((o) => (o === "success" ? "successful calls" : "failed calls")),
    ...r.correctedBy.map((c) => (c === "frontier" ? "frontier-corrected" : "human-corrected")),
  ];
  const base = r.baseDatasetVersionId
    ? `, mixed with ${baseName ?? "a dataset version"} (at most ${Math.round(r.maxSyntheticShare * 100)}% synthetic)`
    : "";
  return `Traces of the last ${r.days} days (${kinds.join(", ") || "none"}), newest ${formatCount(r.maxTraces)} at most, at least ${formatCount(r.minTraces)}${base}.`;
}

function PolicySummary({ policy }: { policy: RetrainPolicy }) {
  const described = describeSchedule(policy.schedule);
  const baseId = policy.datasetRecipe.baseDatasetVersionId;
  const base = useDatasetVersionOptions(
    { id: baseId ?? "", limit: 1 },
    { enabled: Boolean(baseId) },
  ).data?.[0];
  return (
    <div className="stack">
      <dl className="fact-row">
        <div>
          <dt>Schedule</dt>
          <dd>
            <span className="mono" data-testid="retrain-schedule">
              {policy.schedule}
            </span>{" "}
            <span className="muted">
              {described ? `${described} ` : ""}({policy.timezone})
            </span>
          </dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd data-testid="retrain-next-run">
            {!policy.enabled ? (
              <Badge>Schedule off</Badge>
            ) : policy.nextRunAt ? (
              <TimeStamp iso={policy.nextRunAt} />
            ) : (
              "—"
            )}
          </dd>
        </div>
        <div>
          <dt>Last run</dt>
          <dd>{policy.lastRunAt ? <TimeStamp iso={policy.lastRunAt} /> : "never"}</dd>
        </div>
        <div>
          <dt>GPU budget</dt>
          <dd className="mono">
            {policy.gpuBudgetUsd === null
              ? "none"
              : `${formatUsd(policy.spentUsd)} of ${formatUsd(policy.gpuBudgetUsd)} / ${policy.budgetPeriodDays} d`}
          </dd>
        </div>
        <div>
          <dt>Auto-promote</dt>
          <dd>{policy.autoPromote ? "on, when the gate passes" : "off"}</dd>
        </div>
      </dl>
      <p>
        <span className="field-label">Dataset: </span>
        {recipeSentence(policy, base ? datasetVersionLabel(base) : baseId)}
      </p>
      <p className="muted small">
        A scheduled run trains when there are at least {formatCount(policy.minNewTraces)} new traces
        since the last run or a monitor is in warning; otherwise it records a skip.
      </p>
    </div>
  );
}

function EditPolicyDialog({ modelId, policy }: { modelId: string; policy: RetrainPolicy | null }) {
  const put = usePutRetrainPolicy(modelId);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<RetrainPolicyFormState>(() => policyToForm(policy));
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) setForm(policyToForm(policy));
    else {
      put.reset();
      setErrors({});
    }
  }

  function save() {
    const result = formToPolicyBody(form, policy?.trainingTemplate ?? null);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    put.mutate(result.body, { onSuccess: () => setOpen(false) });
  }

  const server = fieldErrors(put.error);
  const title = policy ? "Edit retrain policy" : "Set up retraining";
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button
          size="sm"
          variant={policy ? "secondary" : "primary"}
          aria-label={policy ? "Edit retrain policy" : undefined}
        >
          {policy ? "Edit" : "Set up retraining"}
        </Button>
      </DialogTrigger>
      <DialogContent
        title={title}
        description="Re-tunes train on recent production traces with the production version's job spec, then go through the same evaluation and gate."
        className="dialog-wide"
      >
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <RetrainPolicyFields
            value={form}
            onChange={setForm}
            errors={{ ...server, ...errors }}
            disabled={put.isPending}
          />
          {put.error && needsErrorBanner(server, POLICY_FIELD_KEYS) && (
            <ErrorState title="Could not save the retrain policy" error={put.error} />
          )}
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)} disabled={put.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" loading={put.isPending}>
              Save retrain policy
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function RunResult({ request }: { request: RetrainRequest }) {
  return (
    <div role="status" data-testid="run-now-result">
      <Notice
        tone={request.status === "SKIPPED" || request.status === "FAILED" ? "warning" : "info"}
      >
        <strong>{RETRAIN_STATUS_LABEL[request.status]}:</strong> {request.reason}
        {request.error && <span className="text-danger"> {request.error}</span>}{" "}
        <a href="#retraining">See the loop below.</a>
      </Notice>
    </div>
  );
}

/**
 * The Model's retrain policy: schedule (quarterly by default) with its next run, the dataset
 * recipe, budget and auto-promotion; Edit (PUT) and "Run now" for engineers and up.
 */
export function RetrainPolicyPanel({
  modelId,
  hasVersions,
  hasPolicy,
  editable,
  trainingTemplate,
}: {
  modelId: string;
  /** A re-tune copies a version's training job, so without any there is nothing to run. */
  hasVersions: boolean;
  /** From the Model detail: without a policy nothing is requested. */
  hasPolicy: boolean;
  editable: boolean;
  /** What a re-tune trains with, and its editor (the page composes it from training-jobs). */
  trainingTemplate?: ReactNode;
}) {
  const policy = useRetrainPolicy(modelId, hasPolicy);
  const run = useRunRetrainNow(modelId);
  const remove = useDeleteRetrainPolicy(modelId);
  const p = policy.data;
  return (
    <Card aria-labelledby="retrain-policy-title">
      <CardHeader
        title={<span id="retrain-policy-title">Retrain policy</span>}
        description="When this Model re-tunes on its own, and on what data."
        actions={
          editable && policy.isSuccess ? (
            <>
              <Button
                size="sm"
                variant="primary"
                loading={run.isPending}
                disabled={!hasVersions}
                onClick={() => run.mutate()}
              >
                Run now
              </Button>
              <EditPolicyDialog modelId={modelId} policy={p ?? null} />
              {p && (
                <ConfirmDialog
                  trigger={
                    <Button size="sm" variant="ghost" aria-label="Remove retrain policy">
                      Remove
                    </Button>
                  }
                  title="Remove the retrain policy?"
                  description="No more scheduled re-tunes; drift monitors with the retrain action fall back to the default recipe. Past re-tunes stay."
                  confirmLabel="Remove policy"
                  onConfirm={() => remove.mutateAsync()}
                />
              )}
            </>
          ) : undefined
        }
      />
      <QueryView
        query={policy}
        loading="Loading retrain policy…"
        rows={2}
        errorTitle="Could not load the retrain policy"
      >
        {(current) => (
          <>
            {(!hasVersions || run.error || run.data) && (
              <CardBody>
                {!hasVersions && (
                  <Notice tone="warning">
                    A re-tune copies the training job of the production version (or else the newest
                    version); this Model has no version yet, so there is nothing to copy.
                  </Notice>
                )}
                {run.error && <ErrorState title="Run now failed" error={run.error} />}
                {run.data && <RunResult request={run.data} />}
              </CardBody>
            )}
            {current ? (
              <CardBody>
                <PolicySummary policy={current} />
                {trainingTemplate}
              </CardBody>
            ) : (
              <EmptyState
                title="No retrain policy"
                description={
                  editable
                    ? "Without one, drift monitors and “Run now” use the default recipe and nothing runs on a schedule. Set one up to re-tune quarterly (by default) from recent production traces, within a GPU budget, promoting by the gate if you allow it."
                    : "Without one, drift monitors use the default recipe and nothing runs on a schedule. Engineers and above set one up."
                }
              />
            )}
          </>
        )}
      </QueryView>
    </Card>
  );
}
