import {
  createTrainingJobBodySchema,
  TRAINING_PRESETS,
  type CreateTrainingJobBody,
} from "@/lib/schemas/training-jobs";
import type { GpuType } from "@/lib/domain/training-estimate";

/**
 * The launch form's state: every field as the person typed it (numbers stay strings until
 * submitted, so "0." or an empty box is not fought), and how it becomes a request body.
 */
export type PresetId = keyof typeof TRAINING_PRESETS;

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
  | "seed";

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

const EMPTY_HP: Record<HyperparameterKey, string> = {
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
};

/** The GPU each preset was sized for; the tiny model trains on the CPU of this host. */
const PRESET_GPU: Record<PresetId, GpuType> = {
  "tool-call-format": "A10G-24GB",
  "narrow-domain-reasoning": "A100-80GB",
  "small-latency-critical": "A10G-24GB",
  "tiny-cpu-demo": "CPU",
};

export function applyPreset(state: LaunchFormState, id: PresetId): LaunchFormState {
  const preset = TRAINING_PRESETS[id];
  const hp = { ...EMPTY_HP };
  for (const [k, v] of Object.entries(preset.hyperparameters)) {
    if (k in hp && typeof v === "number") hp[k as HyperparameterKey] = String(v);
  }
  const gpuType = PRESET_GPU[id];
  const cpu = gpuType === "CPU";
  return {
    ...state,
    preset: id,
    baseModel: preset.baseModel,
    method: preset.method,
    lrScheduler: preset.hyperparameters.lrScheduler,
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
