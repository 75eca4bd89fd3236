"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import {
  BACKENDS,
  EXECUTORS,
  METHODS,
  type CreateTrainingJobBody,
} from "@/lib/schemas/training-jobs";
import { GPU_TYPES, GPUS, type GpuType } from "@/lib/domain/training-estimate";
import { ApiClientError, fieldErrors } from "@/lib/client/api";
import {
  newIdempotencyKey,
  useBaseModels,
  useDatasetForLaunch,
  useDatasetVersionForLaunch,
  useExecutors,
  useLaunchTrainingJob,
  useTrainingPreview,
} from "@/lib/client/hooks/training-jobs";
import { useDatasets } from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { jobHref } from "@/lib/client/hrefs";
import { HP_ROWS } from "@/lib/client/hyperparameters";
import { BACKEND_LABEL, EXECUTOR_LABEL, METHOD_LABEL } from "@/lib/client/training-labels";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { Select, type SelectOption } from "@/components/ui/select";
import { HyperparameterFields } from "./hyperparameter-fields";
import {
  applyPreset,
  checkForm,
  initialFormState,
  type LaunchFormState,
  type PresetId,
} from "./launch-form-state";
import { LaunchPreview, type PreviewState } from "./launch-preview";
import { PresetChips } from "./preset-chips";

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

function gpuLabel(gpu: GpuType): string {
  return gpu === "CPU" ? "CPU" : gpu.replace(/-(\d+GB)$/, " $1");
}

const GPU_OPTIONS = GPU_TYPES.map((g) => ({
  value: g,
  label: g === "CPU" ? "CPU (no GPU)" : `${gpuLabel(g)} · $${GPUS[g].usdPerHour.toFixed(2)}/h`,
}));
const METHOD_OPTIONS = METHODS.map((m) => ({ value: m, label: METHOD_LABEL[m] }));
const BACKEND_OPTIONS = BACKENDS.map((b) => ({ value: b, label: BACKEND_LABEL[b] }));

/** Labels of the form's fields by API path, for messages not shown beside a field. */
const PATH_LABEL: Record<string, string> = {
  model: "Model name",
  datasetVersionId: "Dataset version",
  evalDatasetVersionId: "Eval dataset version",
  baseModel: "Base model",
  method: "Method",
  backend: "Backend",
  executor: "Executor",
  "compute.gpuType": "GPU type",
  "compute.gpuCount": "GPU count",
};

function labelOf(path: string): string {
  const hp = HP_ROWS.find((r) => `hyperparameters.${r.key}` === path);
  return PATH_LABEL[path] ?? hp?.label ?? path;
}

/** Paths the form has a field for (the rest are listed above the Launch button). */
function hasField(path: string): boolean {
  return path in PATH_LABEL || path.startsWith("hyperparameters.");
}

/**
 * The launch form: what to train (model name, dataset version, optional eval set), a preset,
 * the base model, method, backend, executor, GPU and hyperparameters. Every change is checked
 * locally with the API's own schema, then (debounced) by POST /training-jobs/preview, whose
 * estimate, pre-flight and blockers show beside the form. Launch is disabled while anything
 * blocks it.
 */
export function LaunchForm({ initialDatasetVersionId }: { initialDatasetVersionId?: string }) {
  const router = useRouter();
  const active = useActiveTeam();
  const [state, setState] = useState<LaunchFormState>(initialFormState);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [prefilled, setPrefilled] = useState(!initialDatasetVersionId);

  const datasets = useDatasets();
  const dataset = useDatasetForLaunch(state.datasetId || null);
  const evalDataset = useDatasetForLaunch(state.evalDatasetId || null);
  const linkedVersion = useDatasetVersionForLaunch(prefilled ? null : initialDatasetVersionId!);
  const baseModels = useBaseModels();
  const executors = useExecutors();
  const launch = useLaunchTrainingJob();

  // ?datasetVersionId=: select its dataset and the version once it is known.
  if (!prefilled && linkedVersion.data) {
    setPrefilled(true);
    setState((s) => ({
      ...s,
      datasetId: linkedVersion.data.datasetId,
      datasetVersionId: linkedVersion.data.id,
    }));
  } else if (!prefilled && linkedVersion.isError) {
    setPrefilled(true);
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

  const serverErrors = {
    ...fieldErrors(preview.isError && bodyJson === debouncedJson ? preview.error : null),
    ...fieldErrors(launch.error),
  };
  const errorFor = (path: string): string | undefined => {
    if (serverErrors[path]) return serverErrors[path];
    const local = check.errors[path];
    if (!local) return undefined;
    return submitted || touched.has(path) || isFilled(state, path) ? local : undefined;
  };

  let previewState: PreviewState;
  if (!check.ok) {
    previewState = {
      kind: "incomplete",
      missing: Object.keys(check.errors)
        .filter((p) => !isFilled(state, p))
        .map((p) => labelOf(p)),
    };
  } else if (preview.isError && bodyJson === debouncedJson) {
    previewState = { kind: "error", error: preview.error };
  } else if (preview.data) {
    previewState = { kind: "ready", preview: preview.data, checking: !previewCurrent };
  } else {
    previewState = { kind: "loading" };
  }

  const blockers = previewState.kind === "ready" ? previewState.preview.blockers : [];
  const canLaunch =
    check.ok && previewState.kind === "ready" && !previewState.checking && blockers.length === 0;
  const canWrite = active?.can("resource.write") ?? true;
  const missing = previewState.kind === "incomplete" ? previewState.missing : [];
  const launchHint = !check.ok
    ? missing.length > 0 && missing.length === Object.keys(check.errors).length
      ? `To launch, fill in: ${missing.join(", ")}.`
      : "Fix the highlighted fields to launch."
    : previewState.kind === "loading" || (previewState.kind === "ready" && previewState.checking)
      ? "Checking the latest changes…"
      : blockers.length > 0
        ? `Blocked: ${blockers.length} issue${blockers.length === 1 ? "" : "s"} to fix (see the estimate).`
        : previewState.kind === "error"
          ? "This spec cannot launch as it is (see the estimate)."
          : "Ready to launch.";

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

  const datasetOptions: SelectOption[] = [
    { value: "", label: datasets.isPending ? "Loading datasets…" : "Choose a dataset" },
    ...(datasets.data ?? []).map((d) => ({ value: d.id, label: d.name })),
  ];
  const versionOptions = (d: typeof dataset, exclude?: string): SelectOption[] => [
    {
      value: "",
      label: !d.data
        ? d.isFetching
          ? "Loading versions…"
          : "Choose a dataset first"
        : "Choose a version",
    },
    ...(d.data?.versions ?? []).map((v) => ({
      value: v.id,
      label: `v${v.version} · ${v.status === "READY" ? `${v.stats?.validRows ?? "?"} rows` : v.status.toLowerCase()}`,
      disabled: v.status !== "READY" || v.id === exclude,
    })),
  ];
  const evalDatasetOptions: SelectOption[] = [
    { value: "", label: "None: use the training set's eval split" },
    ...(datasets.data ?? []).map((d) => ({ value: d.id, label: d.name })),
  ];
  const baseModelOptions: SelectOption[] = baseModels.data
    ? baseModels.data.map((m) => ({
        value: m.id,
        label: `${m.name}${m.paramsB >= 0.1 ? ` · ${m.paramsB}B` : ""}`,
      }))
    : [{ value: state.baseModel, label: state.baseModel }];
  const executorInfo = new Map((executors.data ?? []).map((x) => [x.kind, x]));
  const executorOptions: SelectOption[] = EXECUTORS.map((k) => {
    const info = executorInfo.get(k);
    return {
      value: k,
      label: `${EXECUTOR_LABEL[k]}${info && !info.available ? " (unavailable)" : ""}`,
      disabled: info ? !info.available : false,
    };
  });
  const chosenExecutor = executorInfo.get(state.executor);
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

  const noDatasets = datasets.data?.length === 0;
  const noReady =
    dataset.data !== undefined && !dataset.data.versions.some((v) => v.status === "READY");

  return (
    <div className="launch-layout">
      <form
        className="form launch-form"
        onSubmit={submit}
        noValidate
        aria-label="Launch a training job"
      >
        {!canWrite && active && (
          <Notice tone="warning">
            Launching jobs needs the engineer role or above; your role in {active.team.name} is{" "}
            <strong>{active.team.role}</strong>. You can still explore the estimate.
          </Notice>
        )}
        <Card>
          <CardHeader
            title="What to train"
            description="A named model and the data it learns from."
          />
          <CardBody>
            <div className="form-grid">
              <Field
                label="Model name"
                required
                hint="The agent component, e.g. support-agent/tool-caller. A new name registers a model."
                error={errorFor("model")}
              >
                <Input
                  name="model"
                  autoComplete="off"
                  value={state.model}
                  onChange={(e) => update({ model: e.currentTarget.value })}
                  onBlur={() => touch("model")}
                />
              </Field>
            </div>
            {datasets.isError ? (
              <ErrorState
                title="Could not load datasets"
                error={datasets.error}
                onRetry={() => void datasets.refetch()}
                retrying={datasets.isFetching}
              />
            ) : noDatasets ? (
              <Notice tone="warning">
                This team has no datasets yet. <Link href="/datasets">Upload one</Link> first: jobs
                train on a READY dataset version.
              </Notice>
            ) : (
              <div className="form-grid">
                <Field label="Dataset" required>
                  <Select
                    name="datasetId"
                    options={datasetOptions}
                    value={state.datasetId}
                    onChange={(e) => pickDataset(e.currentTarget.value)}
                  />
                </Field>
                <Field
                  label="Dataset version"
                  required
                  hint={
                    noReady
                      ? "No READY version yet: wait for validation, or clean an invalid one."
                      : "Only READY versions train."
                  }
                  error={errorFor("datasetVersionId")}
                >
                  <Select
                    name="datasetVersionId"
                    options={versionOptions(dataset)}
                    value={state.datasetVersionId}
                    disabled={!state.datasetId}
                    onChange={(e) => update({ datasetVersionId: e.currentTarget.value })}
                  />
                </Field>
                <Field label="Eval dataset" hint="Optional: a separate held-out set.">
                  <Select
                    name="evalDatasetId"
                    options={evalDatasetOptions}
                    value={state.evalDatasetId}
                    onChange={(e) =>
                      update({ evalDatasetId: e.currentTarget.value, evalDatasetVersionId: "" })
                    }
                  />
                </Field>
                <Field label="Eval dataset version" error={errorFor("evalDatasetVersionId")}>
                  <Select
                    name="evalDatasetVersionId"
                    options={
                      state.evalDatasetId
                        ? versionOptions(evalDataset, state.datasetVersionId)
                        : [{ value: "", label: "—" }]
                    }
                    value={state.evalDatasetVersionId}
                    disabled={!state.evalDatasetId}
                    onChange={(e) => update({ evalDatasetVersionId: e.currentTarget.value })}
                  />
                </Field>
              </div>
            )}
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="Recipe"
            description="A preset fills the base model, method and hyperparameters; change anything after."
          />
          <CardBody>
            <PresetChips
              state={state}
              onPick={(id: PresetId) => setState((s) => applyPreset(s, id))}
            />
            <div className="form-grid">
              <Field label="Base model" required error={errorFor("baseModel")}>
                <Select
                  name="baseModel"
                  options={baseModelOptions}
                  value={state.baseModel}
                  onChange={(e) => update({ baseModel: e.currentTarget.value, targetModules: "" })}
                />
              </Field>
              <Field
                label="Method"
                hint="QLoRA loads the base in 4-bit (CUDA only)."
                error={errorFor("method")}
              >
                <Select
                  name="method"
                  options={METHOD_OPTIONS}
                  value={state.method}
                  onChange={(e) =>
                    update({ method: e.currentTarget.value as LaunchFormState["method"] })
                  }
                />
              </Field>
              <Field
                label="Backend"
                hint="PEFT runs anywhere, CPU included; Axolotl and Unsloth in their images."
                error={errorFor("backend")}
              >
                <Select
                  name="backend"
                  options={BACKEND_OPTIONS}
                  value={state.backend}
                  onChange={(e) =>
                    update({ backend: e.currentTarget.value as LaunchFormState["backend"] })
                  }
                />
              </Field>
              <Field
                label="Executor"
                hint={
                  chosenExecutor && !chosenExecutor.available
                    ? chosenExecutor.reason
                    : executors.isError
                      ? "Could not read which executors are available."
                      : unavailableHint(executors.data)
                }
                error={errorFor("executor")}
              >
                <Select
                  name="executor"
                  options={executorOptions}
                  value={state.executor}
                  onChange={(e) =>
                    update({ executor: e.currentTarget.value as LaunchFormState["executor"] })
                  }
                />
              </Field>
              <Field label="GPU type" error={errorFor("compute.gpuType")}>
                <Select
                  name="gpuType"
                  options={GPU_OPTIONS}
                  value={state.gpuType}
                  onChange={(e) => update({ gpuType: e.currentTarget.value as GpuType })}
                />
              </Field>
              <Field
                label="GPU count"
                hint="More than one needs Docker or Kubernetes."
                error={errorFor("compute.gpuCount")}
              >
                <Input
                  name="gpuCount"
                  inputMode="numeric"
                  className="mono"
                  value={state.gpuCount}
                  disabled={state.gpuType === "CPU"}
                  onChange={(e) => update({ gpuCount: e.currentTarget.value })}
                  onBlur={() => touch("compute.gpuCount")}
                />
              </Field>
            </div>
          </CardBody>
        </Card>

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

function unavailableHint(
  executors: readonly { kind: string; available: boolean }[] | undefined,
): string | undefined {
  const off = (executors ?? []).filter((x) => !x.available).map((x) => x.kind.toLowerCase());
  return off.length ? `Not configured here: ${off.join(", ")}.` : undefined;
}

/** Whether the field at `path` holds something (an empty field's "required" waits for a touch). */
function isFilled(s: LaunchFormState, path: string): boolean {
  if (path.startsWith("hyperparameters.")) {
    const key = path.slice("hyperparameters.".length);
    if (key === "targetModules") return s.targetModules.trim() !== "";
    return (s.hp as Record<string, string>)[key]?.trim() !== "";
  }
  const direct: Record<string, string> = {
    model: s.model,
    datasetVersionId: s.datasetVersionId,
    evalDatasetVersionId: s.evalDatasetVersionId,
    baseModel: s.baseModel,
    "compute.gpuCount": s.gpuCount,
  };
  return path in direct ? direct[path]!.trim() !== "" : true;
}
