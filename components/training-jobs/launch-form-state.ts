import {
  createTrainingJobBodySchema,
  TRAINING_PRESETS,
  type CreateTrainingJobBody,
  type PresetId,
} from "@/lib/schemas/training-jobs";
import { modelNameSchema } from "@/lib/schemas/common";
import { findBaseModel } from "@/lib/domain/base-models";
import type { GpuType } from "@/lib/domain/training-estimate";
import { resolveTrainingSpec } from "@/lib/domain/training-spec";

/**
 * The launch form's state: every field as the person typed it (numbers stay strings until
 * submitted, so "0." or an empty box is not fought), and how it becomes a request body.
 */
export type { PresetId };

export type HyperparameterKey =
  | "loraR"
  | "loraAlpha"
  | "loraDropout"
  | "learningRate"
  | "numEpochs"
  | "maxSteps"
  | "microBatchSize"
  | "gradientAccumulationSteps"
  | "warmupSteps"
  | "warmupRatio"
  | "sequenceLen"
  | "seed"
  | "saveSteps";

export type LaunchFormState = {
  preset: PresetId | null;
  model: string;
  datasetId: string;
  datasetVersionId: string;
  evalDatasetId: string;
  evalDatasetVersionId: string;
  baseModel: string;
  method: CreateTrainingJobBody["method"];
  backend: CreateTrainingJobBody["backend"];
  executor: CreateTrainingJobBody["executor"];
  gpuType: GpuType;
  gpuCount: string;
  lrScheduler: CreateTrainingJobBody["hyperparameters"]["lrScheduler"];
  /** Comma-separated; blank means every linear layer of the base model. */
  targetModules: string;
  hp: Record<HyperparameterKey, string>;
};

export const EMPTY_HP: Record<HyperparameterKey, string> = {
  loraR: "",
  loraAlpha: "",
  loraDropout: "",
  learningRate: "",
  numEpochs: "",
  maxSteps: "",
  microBatchSize: "",
  gradientAccumulationSteps: "",
  warmupSteps: "",
  warmupRatio: "",
  sequenceLen: "",
  seed: "",
  saveSteps: "",
};

/**
 * The preset's fields for its own base model, as the API resolves a request that names only the
 * preset (lib/domain/training-spec.ts): one source of preset values, GPUs and adaptations.
 */
function presetSpec(id: PresetId) {
  const baseModel = TRAINING_PRESETS[id].baseModel;
  return resolveTrainingSpec(
    { model: "", datasetVersionId: "", baseModel, preset: id },
    { baseModel: findBaseModel(baseModel) },
  ).input;
}

export function applyPreset(state: LaunchFormState, id: PresetId): LaunchFormState {
  const spec = presetSpec(id);
  const hp = { ...EMPTY_HP };
  for (const [k, v] of Object.entries(spec.hyperparameters)) {
    if (k in hp && typeof v === "number") hp[k as HyperparameterKey] = String(v);
  }
  const gpuType = spec.compute?.gpuType ?? "CPU";
  const cpu = gpuType === "CPU";
  return {
    ...state,
    preset: id,
    baseModel: spec.baseModel,
    method: spec.method,
    lrScheduler: spec.hyperparameters.lrScheduler ?? "cosine",
    // Blank: every linear layer of the base (what the resolved spec names).
    targetModules: "",
    hp,
    gpuType,
    gpuCount: cpu ? "1" : state.gpuCount,
    // CPU training is PEFT on this host; Unsloth and Axolotl need a GPU.
    backend: cpu ? "PEFT" : state.backend,
    executor: cpu ? "LOCAL" : state.executor,
  };
}

export function initialFormState(): LaunchFormState {
  return applyPreset(
    {
      preset: null,
      model: "",
      datasetId: "",
      datasetVersionId: "",
      evalDatasetId: "",
      evalDatasetVersionId: "",
      baseModel: "",
      method: "LORA",
      backend: "PEFT",
      executor: "LOCAL",
      gpuType: "CPU",
      gpuCount: "1",
      lrScheduler: "cosine",
      targetModules: "",
      hp: EMPTY_HP,
    },
    "tiny-cpu-demo",
  );
}

const INTEGER_FIELDS = new Set<HyperparameterKey>([
  "loraR",
  "loraAlpha",
  "maxSteps",
  "microBatchSize",
  "gradientAccumulationSteps",
  "warmupSteps",
  "sequenceLen",
  "seed",
  "saveSteps",
]);

export type FormCheck =
  | { ok: true; body: CreateTrainingJobBody; errors: Record<string, string> }
  | { ok: false; body: null; errors: Record<string, string> };

/**
 * The request body, validated by the same schema as the API, so field messages show before any
 * request; errors are keyed by the API's issue paths ("hyperparameters.loraR").
 */
export function checkForm(s: LaunchFormState): FormCheck {
  const errors: Record<string, string> = {};
  const hyperparameters: Record<string, unknown> = { lrScheduler: s.lrScheduler };
  for (const [k, raw] of Object.entries(s.hp) as [HyperparameterKey, string][]) {
    const text = raw.trim();
    if (text === "") continue;
    const n = Number(text);
    if (!Number.isFinite(n)) errors[`hyperparameters.${k}`] = "enter a number";
    else if (INTEGER_FIELDS.has(k) && !Number.isInteger(n))
      errors[`hyperparameters.${k}`] = "enter a whole number";
    else hyperparameters[k] = n;
  }
  const modules = s.targetModules
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  if (modules.length) hyperparameters.targetModules = modules;
  // Both warmup fields blank means no warmup; said explicitly, since the API fills a field a
  // request leaves out from its preset.
  if (s.hp.warmupSteps.trim() === "" && s.hp.warmupRatio.trim() === "")
    hyperparameters.warmupSteps = 0;
  const gpuCount = Number(s.gpuCount.trim() || "1");
  if (!Number.isInteger(gpuCount)) errors["compute.gpuCount"] = "enter a whole number";

  const raw = {
    model: s.model,
    datasetVersionId: s.datasetVersionId,
    ...(s.evalDatasetVersionId ? { evalDatasetVersionId: s.evalDatasetVersionId } : {}),
    baseModel: s.baseModel,
    method: s.method,
    backend: s.backend,
    executor: s.executor,
    hyperparameters,
    compute: { gpuType: s.gpuType, gpuCount },
  };
  const parsed = createTrainingJobBodySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".") || "(body)";
      errors[path] ??= friendlyMessage(path, issue.message);
    }
  }
  // A new name registers a Model: the same rule as POST /models (the API checks it too).
  const name = modelNameSchema.safeParse(s.model);
  if (s.model.trim() && !name.success) errors.model ??= name.error.issues[0]!.message;
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, body: null, errors };
  return { ok: true, body: parsed.data, errors };
}

/** zod's messages for a missing field say "expected string, received undefined"; say what to do. */
function friendlyMessage(path: string, message: string): string {
  if (/received undefined/.test(message)) {
    if (path === "datasetVersionId") return "choose a READY dataset version";
    return "required";
  }
  if (path === "model" && /too_small|>=1|at least 1/i.test(message)) return "name the model";
  if (path === "datasetVersionId" && /at least 1|>=1/.test(message))
    return "choose a READY dataset version";
  return message;
}
