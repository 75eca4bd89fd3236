import { BACKENDS, EXECUTORS, METHODS } from "@/lib/schemas/training-jobs";
import { GPU_TYPES, GPUS } from "@/lib/domain/training-estimate";
import { BACKEND_LABEL, EXECUTOR_LABEL, METHOD_LABEL } from "@/lib/client/training-labels";
import type { SelectOption } from "@/components/ui/select";
import { gpuLabel } from "./launch-form-status";

/** The launch form's select options, from the catalogues and what the API has answered so far. */

export const GPU_OPTIONS: SelectOption[] = GPU_TYPES.map((g) => ({
  value: g,
  label: g === "CPU" ? "CPU (no GPU)" : `${gpuLabel(g)} · $${GPUS[g].usdPerHour.toFixed(2)}/h`,
}));
export const METHOD_OPTIONS: SelectOption[] = METHODS.map((m) => ({
  value: m,
  label: METHOD_LABEL[m],
}));
export const BACKEND_OPTIONS: SelectOption[] = BACKENDS.map((b) => ({
  value: b,
  label: BACKEND_LABEL[b],
}));

type Named = { id: string; name: string };

/** The team's datasets, after a first entry that says what to do (or that they are loading). */
export function datasetOptions(
  datasets: readonly Named[] | undefined,
  loading: boolean,
): SelectOption[] {
  return [
    { value: "", label: loading ? "Loading datasets…" : "Choose a dataset" },
    ...(datasets ?? []).map((d) => ({ value: d.id, label: d.name })),
  ];
}

/** The optional eval set: none means the training set's own eval split. */
export function evalDatasetOptions(datasets: readonly Named[] | undefined): SelectOption[] {
  return [
    { value: "", label: "None: use the training set's eval split" },
    ...(datasets ?? []).map((d) => ({ value: d.id, label: d.name })),
  ];
}

type LaunchVersion = {
  id: string;
  version: number;
  status: string;
  stats?: { validRows: number } | null;
};

/**
 * A dataset's versions with their size; only READY ones can be picked, and `exclude` (the
 * training version, for the eval set) cannot be picked twice.
 */
export function versionOptions(
  dataset: { versions: readonly LaunchVersion[] } | undefined,
  fetching: boolean,
  exclude?: string,
): SelectOption[] {
  return [
    {
      value: "",
      label: !dataset
        ? fetching
          ? "Loading versions…"
          : "Choose a dataset first"
        : "Choose a version",
    },
    ...(dataset?.versions ?? []).map((v) => ({
      value: v.id,
      label: `v${v.version} · ${v.status === "READY" ? `${v.stats?.validRows ?? "?"} rows` : v.status.toLowerCase()}`,
      disabled: v.status !== "READY" || v.id === exclude,
    })),
  ];
}

/** The base-model catalogue with sizes; until it loads, just the current choice. */
export function baseModelOptions(
  models: readonly { id: string; name: string; paramsB: number }[] | undefined,
  current: string,
): SelectOption[] {
  return models
    ? models.map((m) => ({
        value: m.id,
        label: `${m.name}${m.paramsB >= 0.1 ? ` · ${m.paramsB}B` : ""}`,
      }))
    : [{ value: current, label: current }];
}

/** Every executor; the ones this deployment has not configured are marked and disabled. */
export function executorOptions(
  executors: readonly { kind: string; available: boolean }[] | undefined,
): SelectOption[] {
  const info = new Map((executors ?? []).map((x) => [x.kind, x]));
  return EXECUTORS.map((k) => {
    const x = info.get(k);
    return {
      value: k,
      label: `${EXECUTOR_LABEL[k]}${x && !x.available ? " (unavailable)" : ""}`,
      disabled: x ? !x.available : false,
    };
  });
}
