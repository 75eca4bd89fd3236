"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import type { CreateTrainingJobBody } from "@/lib/schemas/training-jobs";
import { ApiClientError, errorMessage, fieldErrors } from "@/lib/client/api";
import {
  newIdempotencyKey,
  useBaseModels,
  useDatasetForLaunch,
  useExecutors,
  useLaunchTrainingJob,
  useTrainingPreview,
} from "@/lib/client/hooks/training-jobs";
import { useDatasets } from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { jobHref } from "@/lib/client/hrefs";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { HyperparameterFields } from "./hyperparameter-fields";
import { LaunchDataFields } from "./launch-data-fields";
import {
  applyPreset,
  checkForm,
  initialFormState,
  type LaunchFormState,
  type PresetId,
} from "./launch-form-state";
import {
  gpuLabel,
  hasField,
  isFilled,
  isLaunchable,
  launchHintOf,
  previewStateOf,
} from "./launch-form-status";
import { LaunchPreview } from "./launch-preview";
import { LaunchRecipeFields } from "./launch-recipe-fields";
import { useLaunchPrefill, type LaunchPrefill } from "./use-launch-prefill";

const PREVIEW_DEBOUNCE_MS = 400;

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/**
 * The launch form: what to train (model name, dataset version, optional eval set), a preset,
 * the base model, method, backend, executor, GPU and hyperparameters. Every change is checked
 * locally with the API's own schema, then (debounced) by POST /training-jobs/preview, whose
 * estimate, pre-flight and blockers show beside the form. Launch is disabled while anything
 * blocks it.
 */
export function LaunchForm({
  initialDatasetVersionId,
  cloneFromJobId,
}: {
  initialDatasetVersionId?: string;
  /** "Clone and edit": start from this job's spec. */
  cloneFromJobId?: string;
}) {
  const router = useRouter();
  const active = useActiveTeam();
  const [state, setState] = useState<LaunchFormState>(initialFormState);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [prefilled, setPrefilled] = useState(!initialDatasetVersionId && !cloneFromJobId);
  const [source, setSource] = useState<Pick<LaunchPrefill, "clonedFrom" | "error">>({});

  const datasets = useDatasets();
  const dataset = useDatasetForLaunch(state.datasetId || null);
  const evalDataset = useDatasetForLaunch(state.evalDatasetId || null);
  const prefill = useLaunchPrefill(
    { datasetVersionId: initialDatasetVersionId, fromJobId: cloneFromJobId },
    !prefilled,
  );
  const baseModels = useBaseModels();
  const executors = useExecutors();
  const launch = useLaunchTrainingJob();

  // ?datasetVersionId= or ?from=: fill the form once what they name is known.
  if (!prefilled && prefill.done) {
    setPrefilled(true);
    setSource({ clonedFrom: prefill.clonedFrom, error: prefill.error });
    if (prefill.apply) setState(prefill.apply);
  }

  const update = (next: Partial<LaunchFormState>) => setState((s) => ({ ...s, ...next }));
  const touch = (path: string) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path)));

  const check = useMemo(() => checkForm(state), [state]);
  const bodyJson = check.ok ? JSON.stringify(check.body) : null;
  const debouncedJson = useDebounced(bodyJson, PREVIEW_DEBOUNCE_MS);
  const previewBody = useMemo(
    () => (debouncedJson ? (JSON.parse(debouncedJson) as CreateTrainingJobBody) : null),
    [debouncedJson],
  );
  const preview = useTrainingPreview(previewBody);
  const previewCurrent =
    bodyJson !== null && debouncedJson === bodyJson && !preview.isPlaceholderData;

  // One Idempotency-Key per distinct submission: a double click, or a retry after a network
  // error, sends the same body with the same key and gets the same job back.
  const keyRef = useRef<{ body: string; key: string } | null>(null);

  const previewError = preview.isError && bodyJson === debouncedJson ? preview.error : null;
  const serverErrors = { ...fieldErrors(previewError), ...fieldErrors(launch.error) };
  const errorFor = (path: string): string | undefined => {
    if (serverErrors[path]) return serverErrors[path];
    const local = check.errors[path];
    if (!local) return undefined;
    return submitted || touched.has(path) || isFilled(state, path) ? local : undefined;
  };

  const previewState = previewStateOf({
    state,
    check,
    error: previewError,
    preview: preview.data,
    current: previewCurrent,
  });
  const canLaunch = isLaunchable(check, previewState);
  const canWrite = active?.can("resource.write") ?? true;
  const launchHint = launchHintOf(check, previewState);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSubmitted(true);
    if (!check.ok || !bodyJson || launch.isPending || !canLaunch) return;
    if (keyRef.current?.body !== bodyJson) {
      keyRef.current = { body: bodyJson, key: newIdempotencyKey() };
    }
    launch.mutate(
      { body: check.body, idempotencyKey: keyRef.current.key },
      { onSuccess: (res) => router.push(jobHref(res.id)) },
    );
  }

  const otherErrors = Object.entries({ ...check.errors, ...serverErrors }).filter(
    ([p]) => !hasField(p),
  );

  const pickDataset = (datasetId: string) => {
    update({ datasetId, datasetVersionId: "" });
    touch("datasetVersionId");
  };

  // A freshly picked dataset: choose its newest READY version.
  const newestReady = dataset.data?.versions.find((v) => v.status === "READY")?.id;
  if (
    state.datasetId &&
    !state.datasetVersionId &&
    dataset.data?.id === state.datasetId &&
    newestReady
  ) {
    update({ datasetVersionId: newestReady });
  }
  const evalNewestReady = evalDataset.data?.versions.find(
    (v) => v.status === "READY" && v.id !== state.datasetVersionId,
  )?.id;
  if (
    state.evalDatasetId &&
    !state.evalDatasetVersionId &&
    evalDataset.data?.id === state.evalDatasetId &&
    evalNewestReady
  ) {
    update({ evalDatasetVersionId: evalNewestReady });
  }

  return (
    <div className="launch-layout">
      <form
        className="form launch-form"
        onSubmit={submit}
        noValidate
        aria-label="Launch a training job"
      >
        {source.clonedFrom && (
          <Notice tone="info">
            A copy of <Link href={jobHref(source.clonedFrom.id)}>{source.clonedFrom.name}</Link>:
            change what you need, then launch. The original job is not changed.
          </Notice>
        )}
        {source.error !== undefined && (
          <ErrorState
            title="Could not load the job to copy"
            error={`${errorMessage(source.error)}. The form starts from the default recipe.`}
          />
        )}
        {!canWrite && active && (
          <Notice tone="warning">
            Launching jobs needs the engineer role or above; your role in {active.team.name} is{" "}
            <strong>{active.team.role}</strong>. You can still explore the estimate.
          </Notice>
        )}
        <LaunchDataFields
          state={state}
          errorFor={errorFor}
          onChange={update}
          onTouch={touch}
          onPickDataset={pickDataset}
          datasets={datasets}
          dataset={dataset}
          evalDataset={evalDataset}
        />

        <LaunchRecipeFields
          state={state}
          errorFor={errorFor}
          onChange={update}
          onTouch={touch}
          onPickPreset={(id: PresetId) => setState((s) => applyPreset(s, id))}
          baseModels={baseModels}
          executors={executors}
        />

        <Card>
          <CardHeader title="Hyperparameters" />
          <CardBody>
            <HyperparameterFields
              state={state}
              errorFor={errorFor}
              onChange={update}
              onTouch={touch}
            />
          </CardBody>
        </Card>

        {otherErrors.length > 0 && (submitted || Object.keys(serverErrors).length > 0) && (
          <ErrorState
            title="Fix these before launching"
            error={otherErrors.map(([p, m]) => `${p}: ${m}`).join("; ")}
          />
        )}
        {launch.error &&
          !(launch.error instanceof ApiClientError && launch.error.issues.length) && (
            <ErrorState title="Launch failed" error={launch.error} />
          )}
        <div className="form-actions launch-actions">
          <span className="muted" aria-live="polite">
            {launchHint}
          </span>
          <Link href="/training-jobs" className="btn">
            Cancel
          </Link>
          <Button
            type="submit"
            variant="primary"
            loading={launch.isPending || launch.isSuccess}
            disabled={!canLaunch || !canWrite}
          >
            Launch job
          </Button>
        </div>
      </form>
      <aside className="launch-aside" aria-label="Estimate and pre-flight">
        <LaunchPreview
          state={previewState}
          gpuLabel={gpuLabel(state.gpuType)}
          cpu={state.gpuType === "CPU"}
        />
      </aside>
    </div>
  );
}
