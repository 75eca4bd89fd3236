import type { PutRetrainPolicyBody, RetrainPolicy } from "@/lib/schemas/retrain";
import {
  createTrainingJobBodySchema,
  type CreateTrainingJobBody,
} from "@/lib/schemas/training-jobs";
import {
  applyTrainingTemplate,
  trainingTemplateOf,
  type TrainingTemplate,
} from "@/lib/domain/training-template";
import { HP_ROWS } from "@/lib/client/hyperparameters";
import { formStateFromSpec } from "./launch-form-from-spec";
import { checkForm, type LaunchFormState } from "./launch-form-state";

/**
 * The retrain template editor's form: the launch form's recipe and hyperparameter fields,
 * prefilled with what the next re-tune would run (the copied job's spec with the template
 * applied); saving stores only what differs from that job (lib/domain/training-template.ts), so
 * a later change to production's job still reaches the fields the template leaves alone.
 */
export function templateFormState(
  base: CreateTrainingJobBody,
  template: TrainingTemplate | null,
): { state: LaunchFormState; applies: boolean } {
  const applied = createTrainingJobBodySchema.safeParse(applyTrainingTemplate(base, template));
  const names = { model: base.model, datasetId: "", evalDatasetId: "" };
  // A template that no longer fits the job (its base model changed) is edited from the job.
  return applied.success
    ? { state: formStateFromSpec(applied.data, names), applies: true }
    : { state: formStateFromSpec(base, names), applies: false };
}

export type TemplateResult =
  { ok: true; template: TrainingTemplate | null } | { ok: false; errors: Record<string, string> };

/** The template that turns `base` into what the form says, or the form's errors by API path. */
export function templateFromForm(
  state: LaunchFormState,
  base: CreateTrainingJobBody,
): TemplateResult {
  const check = checkForm({
    ...state,
    // The re-tune brings its own model and data: the job's stand in, to check the rest.
    model: base.model,
    datasetVersionId: base.datasetVersionId,
    evalDatasetVersionId: base.evalDatasetVersionId ?? "",
  });
  if (!check.ok) return { ok: false, errors: check.errors };
  const edited = structuredClone(check.body);
  const hp = base.hyperparameters;
  // The form says "no warmup" as warmupSteps 0; a job without warmup fields already has none.
  if (
    hp.warmupSteps === undefined &&
    hp.warmupRatio === undefined &&
    edited.hyperparameters.warmupSteps === 0 &&
    edited.hyperparameters.warmupRatio === undefined
  )
    delete edited.hyperparameters.warmupSteps;
  return { ok: true, template: trainingTemplateOf(base, edited) };
}

/**
 * The PUT body that keeps the stored policy and sets its template (PUT replaces the whole
 * policy; the template editor changes only the template).
 */
export function policyBodyWith(
  policy: RetrainPolicy,
  trainingTemplate: TrainingTemplate | null,
): PutRetrainPolicyBody {
  return {
    schedule: policy.schedule,
    timezone: policy.timezone,
    datasetRecipe: policy.datasetRecipe,
    trainingTemplate,
    autoPromote: policy.autoPromote,
    enabled: policy.enabled,
    minNewTraces: policy.minNewTraces,
    gpuBudgetUsd: policy.gpuBudgetUsd,
    budgetPeriodDays: policy.budgetPeriodDays,
  };
}

const FIELD_LABEL: Record<string, string> = {
  baseModel: "Base model",
  method: "Method",
  backend: "Backend",
  executor: "Executor",
  gpuType: "GPU type",
  gpuCount: "GPU count",
};
const HP_LABEL = new Map<string, string>(HP_ROWS.map((r) => [r.key, r.label]));

const shown = (v: unknown) =>
  v === null ? "removed" : Array.isArray(v) ? v.join(", ") : String(v as string | number);

/** A template as "what changes": one line per field or key, in the launch form's words. */
export function describeTemplate(
  template: TrainingTemplate | null,
): { label: string; value: string }[] {
  const lines: { label: string; value: string }[] = [];
  for (const [field, value] of Object.entries(template ?? {})) {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value))
        lines.push({ label: HP_LABEL.get(k) ?? FIELD_LABEL[k] ?? k, value: shown(v) });
    } else lines.push({ label: FIELD_LABEL[field] ?? field, value: shown(value) });
  }
  return lines;
}
