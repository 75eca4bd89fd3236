"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import type { RetrainPolicy } from "@/lib/schemas/retrain";
import type { CreateTrainingJobBody } from "@/lib/schemas/training-jobs";
import { templateSourceVersion, type TrainingTemplate } from "@/lib/domain/training-template";
import { fieldErrors } from "@/lib/client/api";
import { useModel } from "@/lib/client/hooks/models";
import { usePutRetrainPolicy, useRetrainPolicy } from "@/lib/client/hooks/retrain";
import { useBaseModels, useExecutors, useTrainingJob } from "@/lib/client/hooks/training-jobs";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { jobHref } from "@/lib/client/hrefs";
import { canEdit } from "@/lib/client/permissions";
import { STAGE_LABEL } from "@/lib/client/registry-labels";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { HyperparameterFields } from "./hyperparameter-fields";
import { applyPreset, type LaunchFormState } from "./launch-form-state";
import { LaunchRecipeFields } from "./launch-recipe-fields";
import {
  describeTemplate,
  policyBodyWith,
  templateFormState,
  templateFromForm,
} from "./retrain-template-form";

type Source = { version: number; stage: keyof typeof STAGE_LABEL; trainingJobId: string };

/**
 * What a Model's re-tunes train with: the job they copy (production's, else the newest trained
 * version's) and the policy's template of changes to it, with an editor that is the launch
 * form's recipe and hyperparameter fields. The Model page composes it into the retrain policy
 * (the queries are the page's own, cached). Nothing shows while the Model has no policy.
 */
export function RetrainTemplatePanel({ modelId }: { modelId: string }) {
  const model = useModel(modelId);
  const active = useActiveTeam();
  const policy = useRetrainPolicy(modelId, model.data?.hasRetrainPolicy ?? false);
  if (!model.data || !policy.data) return null;
  const source = templateSourceVersion(model.data.versions);
  if (!source?.trainingJobId)
    return (
      <p className="muted small" data-testid="retrain-training">
        <span className="field-label">Training: </span>a re-tune copies a trained version’s job;
        this Model has none yet.
      </p>
    );
  return (
    <TemplateSummary
      modelId={modelId}
      policy={policy.data}
      source={{ ...source, trainingJobId: source.trainingJobId }}
      editable={canEdit(active?.team.role)}
    />
  );
}

function TemplateSummary({
  modelId,
  policy,
  source,
  editable,
}: {
  modelId: string;
  policy: RetrainPolicy;
  source: Source;
  editable: boolean;
}) {
  const job = useTrainingJob(source.trainingJobId);
  const changes = describeTemplate(policy.trainingTemplate);
  return (
    <div
      className="stack"
      role="group"
      aria-label="Training template"
      data-testid="retrain-training"
    >
      <div className="inline-gap">
        <p>
          <span className="field-label">Training: </span>
          the spec of{" "}
          <Link href={jobHref(source.trainingJobId)}>
            v{source.version}’s job ({STAGE_LABEL[source.stage]})
          </Link>
          {changes.length === 0 ? ", as it was." : ", with these changes:"}
        </p>
        {editable && job.data && (
          <EditTemplateDialog
            modelId={modelId}
            policy={policy}
            base={job.data.spec}
            sourceLabel={`v${source.version}’s job`}
          />
        )}
      </div>
      {changes.length > 0 && (
        <dl className="hp-list" aria-label="Template changes">
          {changes.map((c) => (
            <div key={c.label}>
              <dt>{c.label}</dt>
              <dd className="mono">{c.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {job.isError && (
        <ErrorState title="Could not load the job a re-tune copies" error={job.error} />
      )}
    </div>
  );
}

function EditTemplateDialog({
  modelId,
  policy,
  base,
  sourceLabel,
}: {
  modelId: string;
  policy: RetrainPolicy;
  base: CreateTrainingJobBody;
  sourceLabel: string;
}) {
  const put = usePutRetrainPolicy(modelId);
  const baseModels = useBaseModels();
  const executors = useExecutors();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(() => templateFormState(base, policy.trainingTemplate));
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) setForm(templateFormState(base, policy.trainingTemplate));
    else {
      put.reset();
      setErrors({});
    }
  }

  const update = (next: Partial<LaunchFormState>) =>
    setForm((f) => ({ ...f, state: { ...f.state, ...next } }));

  function save(template: TrainingTemplate | null) {
    put.mutate(policyBodyWith(policy, template), { onSuccess: () => setOpen(false) });
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const result = templateFromForm(form.state, base);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    save(result.template);
  }

  const server = fieldErrors(put.error);
  const errorFor = (path: string) => server[path] ?? errors[path];
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm" aria-label="Edit the training template">
          Edit training
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Training template"
        description={`A re-tune copies ${sourceLabel} and trains on the recipe's new dataset; what you change here applies on top of that job, and only what you change is kept.`}
        className="dialog-wide"
      >
        <form className="form" onSubmit={submit} noValidate aria-label="Training template">
          {!form.applies && (
            <Notice tone="warning">
              The saved template no longer fits {sourceLabel}; the fields show the job as it is.
            </Notice>
          )}
          <LaunchRecipeFields
            state={form.state}
            errorFor={errorFor}
            onChange={update}
            onTouch={() => undefined}
            onPickPreset={(id) => setForm((f) => ({ ...f, state: applyPreset(f.state, id) }))}
            baseModels={baseModels}
            executors={executors}
          />
          <Card>
            <CardHeader title="Hyperparameters" />
            <CardBody>
              <HyperparameterFields
                state={form.state}
                errorFor={errorFor}
                onChange={update}
                onTouch={() => undefined}
                disabled={put.isPending}
              />
            </CardBody>
          </Card>
          {Object.keys(errors).length > 0 && (
            <ErrorState
              title="Fix these before saving"
              error={Object.entries(errors)
                .map(([p, m]) => `${p}: ${m}`)
                .join("; ")}
            />
          )}
          {put.error && <ErrorState title="Could not save the template" error={put.error} />}
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)} disabled={put.isPending}>
              Cancel
            </Button>
            {policy.trainingTemplate && (
              <Button variant="ghost" disabled={put.isPending} onClick={() => save(null)}>
                Use the job as it is
              </Button>
            )}
            <Button type="submit" variant="primary" loading={put.isPending}>
              Save template
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
