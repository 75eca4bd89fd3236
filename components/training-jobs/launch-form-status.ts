import type { GpuType } from "@/lib/domain/training-estimate";
import type { TrainingPreview } from "@/lib/client/hooks/training-jobs";
import { HP_ROWS } from "@/lib/client/hyperparameters";
import type { FormCheck, LaunchFormState } from "./launch-form-state";

/**
 * Where the launch form stands: which fields are filled, what the debounced preview says, whether
 * Launch is allowed, and the one line beside the button that says why not.
 */

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

export function labelOf(path: string): string {
  const hp = HP_ROWS.find((r) => `hyperparameters.${r.key}` === path);
  return PATH_LABEL[path] ?? hp?.label ?? path;
}

/** Paths the form has a field for (the rest are listed above the Launch button). */
export function hasField(path: string): boolean {
  return path in PATH_LABEL || path.startsWith("hyperparameters.");
}

/** Whether the field at `path` holds something (an empty field's "required" waits for a touch). */
export function isFilled(s: LaunchFormState, path: string): boolean {
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

/** What the estimate column shows. */
export type PreviewState =
  | { kind: "incomplete"; missing: string[] }
  | { kind: "loading" }
  | { kind: "error"; error: unknown }
  | { kind: "ready"; preview: TrainingPreview; checking: boolean };

/**
 * The estimate column's state. `error` is the preview's failure for the body as it stands now
 * (null when there is none, or it was for an older body); `preview` the last answer, which is
 * `current` when it is for the body as it stands.
 */
export function previewStateOf({
  state,
  check,
  error,
  preview,
  current,
}: {
  state: LaunchFormState;
  check: FormCheck;
  error: unknown;
  preview: TrainingPreview | undefined;
  current: boolean;
}): PreviewState {
  if (!check.ok) {
    return {
      kind: "incomplete",
      missing: Object.keys(check.errors)
        .filter((p) => !isFilled(state, p))
        .map((p) => labelOf(p)),
    };
  }
  if (error) return { kind: "error", error };
  if (preview) return { kind: "ready", preview, checking: !current };
  return { kind: "loading" };
}

/** Launch needs a valid form and a current preview with no blockers. */
export function isLaunchable(check: FormCheck, preview: PreviewState): boolean {
  return (
    check.ok &&
    preview.kind === "ready" &&
    !preview.checking &&
    preview.preview.blockers.length === 0
  );
}

/** The line beside Launch: what is missing, what blocks it, or that it is ready. */
export function launchHintOf(check: FormCheck, preview: PreviewState): string {
  const blockers = preview.kind === "ready" ? preview.preview.blockers : [];
  const missing = preview.kind === "incomplete" ? preview.missing : [];
  if (!check.ok)
    return missing.length > 0 && missing.length === Object.keys(check.errors).length
      ? `To launch, fill in: ${missing.join(", ")}.`
      : "Fix the highlighted fields to launch.";
  if (preview.kind === "loading" || (preview.kind === "ready" && preview.checking))
    return "Checking the latest changes…";
  if (blockers.length > 0)
    return `Blocked: ${blockers.length} issue${blockers.length === 1 ? "" : "s"} to fix (see the estimate).`;
  if (preview.kind === "error") return "This spec cannot launch as it is (see the estimate).";
  return "Ready to launch.";
}

/** "A100 80GB"; the CPU stays "CPU". */
export function gpuLabel(gpu: GpuType): string {
  return gpu === "CPU" ? "CPU" : gpu.replace(/-(\d+GB)$/, " $1");
}

/** The executors this deployment has not configured, for the executor field's hint. */
export function unavailableHint(
  executors: readonly { kind: string; available: boolean }[] | undefined,
): string | undefined {
  const off = (executors ?? []).filter((x) => !x.available).map((x) => x.kind.toLowerCase());
  return off.length ? `Not configured here: ${off.join(", ")}.` : undefined;
}
