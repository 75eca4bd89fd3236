/**
 * From a training request to the complete spec a job runs. A request names the model, the dataset
 * version and the base model; every other field it leaves out comes from a preset
 * (TRAINING_PRESETS, the console's presets) adapted to the base model and to the dataset:
 *
 * - the preset: the request's `preset`, else the tiny CPU preset for a CPU-only base
 *   (retune/tiny-chat) and the general tool-call preset for any other;
 * - sequence length: at most the base's context;
 * - LoRA targets: every linear layer of the base (what the backends train when none are named);
 * - compute: a CPU-only base trains on CPU; any other base on the GPU the preset was sized for,
 *   or the smallest one its memory estimate fits on when that one is too small;
 * - method: a QLoRA preset on CPU compute becomes LoRA (4-bit loading needs CUDA);
 * - backend PEFT; executor LOCAL, or DOCKER where LOCAL cannot run the spec (Axolotl, several GPUs);
 * - dataset: a preset's micro-batch is at most the training rows; a preset's maxSteps at most
 *   MAX_SANE_EPOCHS passes over them; a preset's warmupSteps at most a tenth of the run.
 *
 * What the request says is never changed, only checked: the result is validated by
 * createTrainingJobBodySchema, so a field the request got wrong is named in the errors. Fields that
 * exclude or complete each other (numEpochs/maxSteps, warmupSteps/warmupRatio) are taken from the
 * preset as a pair, and only when the request sets neither. Pure: the API (launch, preview) and
 * the launch form share it.
 */
import type { z } from "zod";
import {
  createTrainingJobBodySchema,
  TRAINING_PRESETS,
  type CreateTrainingJobBody,
  type PresetId,
  type TrainingJobRequest,
} from "@/lib/schemas/training-jobs";
import type { BaseModel } from "./base-models";
import {
  estimateTraining,
  GPU_TYPES,
  GPUS,
  MAX_SANE_EPOCHS,
  type GpuType,
} from "./training-estimate";

/** The preset of CPU-only bases, and the one of every other base. */
export const CPU_PRESET: PresetId = "tiny-cpu-demo";
export const GENERAL_PRESET: PresetId = "tool-call-format";

/** The GPU each preset was sized for; the tiny model trains on the CPU of the worker's host. */
export const PRESET_GPU: Record<PresetId, GpuType> = {
  "tool-call-format": "A10G-24GB",
  "narrow-domain-reasoning": "A100-80GB",
  "small-latency-critical": "A10G-24GB",
  "tiny-cpu-demo": "CPU",
};

/** Share of a run a preset's warmup may take once the run's length is known. */
const MAX_WARMUP_SHARE = 0.1;

/** Bases with no GPU path: the tiny model built locally and trained on CPU. */
export function cpuOnlyBase(model: BaseModel | undefined): boolean {
  return model?.family === "tiny";
}

export function defaultPresetFor(model: BaseModel | undefined): PresetId {
  return cpuOnlyBase(model) ? CPU_PRESET : GENERAL_PRESET;
}

export type SpecContext = {
  /** The catalogue entry of the request's base model (undefined: unknown, refused by validation). */
  baseModel: BaseModel | undefined;
  /** Rows the run trains on (the version's train split, or all of it with a separate eval set). */
  dataset?: { trainRows: number } | null;
};

export type ResolvedTrainingSpec = {
  preset: PresetId;
  /** The spec before validation: the request's fields, the preset's for the rest. */
  input: z.input<typeof createTrainingJobBodySchema>;
  /** Each preset value adapted to the base or the dataset, and why ("field: from → to (why)"). */
  notes: string[];
  /** `input` validated: the complete spec, or the errors naming fields. */
  result: z.ZodSafeParseResult<CreateTrainingJobBody>;
};

type Hp = NonNullable<TrainingJobRequest["hyperparameters"]>;
type HpKey = keyof Hp;

const SINGLE_KEYS = [
  "loraR",
  "loraAlpha",
  "loraDropout",
  "learningRate",
  "microBatchSize",
  "gradientAccumulationSteps",
  "sequenceLen",
  "lrScheduler",
  "seed",
  "saveSteps",
] as const satisfies HpKey[];
/** Each group is taken from the request when it sets any of its fields, else from the preset. */
const GROUPS = [
  ["numEpochs", "maxSteps"],
  ["warmupSteps", "warmupRatio"],
] as const satisfies HpKey[][];

function fitsOn(
  model: BaseModel,
  gpuType: GpuType,
  x: { method: "LORA" | "QLORA"; backend: string; gpuCount: number; hp: Hp },
) {
  const e = estimateTraining({
    model,
    method: x.method,
    loraR: x.hp.loraR ?? 16,
    targetModules: x.hp.targetModules,
    sequenceLen: x.hp.sequenceLen ?? 2048,
    microBatchSize: x.hp.microBatchSize ?? 1,
    gradientAccumulationSteps: x.hp.gradientAccumulationSteps ?? 1,
    numEpochs: x.hp.numEpochs,
    maxSteps: x.hp.maxSteps,
    chunkedLoss: x.backend !== "PEFT",
    gpuType,
    gpuCount: x.gpuCount,
    // Memory does not depend on the dataset.
    dataset: { rows: 1, tokens: 1, evalFraction: 0 },
  });
  return { fits: e.fits, vramGb: e.vramGb };
}

/** GPUs by memory, then price: the first that fits is the smallest sufficient one. */
const GPUS_BY_SIZE = GPU_TYPES.filter((g) => g !== "CPU").sort(
  (a, b) => GPUS[a].memoryGb - GPUS[b].memoryGb || GPUS[a].usdPerHour - GPUS[b].usdPerHour,
);

export function resolveTrainingSpec(
  req: TrainingJobRequest,
  ctx: SpecContext,
): ResolvedTrainingSpec {
  const model = ctx.baseModel?.arch ? ctx.baseModel : undefined;
  const presetId = req.preset ?? defaultPresetFor(ctx.baseModel);
  const preset = TRAINING_PRESETS[presetId];
  const presetHp = preset.hyperparameters as Hp;
  const given: Hp = req.hyperparameters ?? {};
  const notes: string[] = [];
  const adapt = (path: string, from: unknown, to: unknown, why: string) =>
    notes.push(`${path}: ${String(from)} → ${String(to)} (${why})`);

  const hp: Hp = {};
  const fromPreset = new Set<HpKey>();
  const take = (k: HpKey, source: Hp) => {
    if (source[k] === undefined) return;
    (hp as Record<string, unknown>)[k] = source[k];
    if (source === presetHp) fromPreset.add(k);
  };
  for (const k of SINGLE_KEYS) take(k, given[k] !== undefined ? given : presetHp);
  for (const group of GROUPS) {
    const source = group.some((k) => given[k] !== undefined) ? given : presetHp;
    for (const k of group) take(k, source);
  }
  hp.targetModules = given.targetModules ?? (model ? [...model.loraTargets] : undefined);

  if (model && fromPreset.has("sequenceLen") && hp.sequenceLen! > model.contextLength) {
    adapt(
      "hyperparameters.sequenceLen",
      hp.sequenceLen,
      model.contextLength,
      `the context of ${model.id}`,
    );
    hp.sequenceLen = model.contextLength;
  }

  const backend = req.backend ?? "PEFT";
  const gpuCount = req.compute?.gpuCount ?? 1;
  let method = req.method ?? preset.method;
  let gpuType: GpuType;
  if (req.compute?.gpuType) gpuType = req.compute.gpuType;
  else {
    const needsGpu = req.method === "QLORA" || backend === "UNSLOTH";
    const sized = PRESET_GPU[presetId];
    if (cpuOnlyBase(model) && !needsGpu) gpuType = "CPU";
    else gpuType = sized === "CPU" ? PRESET_GPU[GENERAL_PRESET] : sized;
    if (gpuType !== sized)
      adapt(
        "compute.gpuType",
        sized,
        gpuType,
        gpuType === "CPU"
          ? `${model!.id} trains on CPU`
          : needsGpu
            ? `${req.method === "QLORA" ? "QLoRA" : "Unsloth"} needs a CUDA GPU`
            : `${req.baseModel} trains on a GPU`,
      );
  }
  if (!req.method && method === "QLORA" && gpuType === "CPU") {
    method = "LORA";
    adapt(
      "method",
      "QLORA",
      "LORA",
      `${cpuOnlyBase(model) ? `${model!.id} trains on CPU` : "the compute is CPU"}, and QLoRA's 4-bit loading needs a CUDA GPU`,
    );
  }
  const executor = req.executor ?? (backend === "AXOLOTL" || gpuCount > 1 ? "DOCKER" : "LOCAL");

  const trainRows = ctx.dataset ? Math.max(1, Math.floor(ctx.dataset.trainRows)) : null;
  if (trainRows !== null) {
    if (fromPreset.has("microBatchSize") && hp.microBatchSize! > trainRows) {
      adapt(
        "hyperparameters.microBatchSize",
        hp.microBatchSize,
        trainRows,
        `the dataset has ${trainRows} training rows`,
      );
      hp.microBatchSize = trainRows;
    }
    const perStep = (hp.microBatchSize ?? 1) * (hp.gradientAccumulationSteps ?? 1) * gpuCount;
    const stepsPerEpoch = Math.ceil(trainRows / perStep);
    if (fromPreset.has("maxSteps") && hp.maxSteps !== undefined) {
      const cap = MAX_SANE_EPOCHS * stepsPerEpoch;
      if (hp.maxSteps > cap) {
        adapt(
          "hyperparameters.maxSteps",
          hp.maxSteps,
          cap,
          `${MAX_SANE_EPOCHS} passes over ${trainRows} training rows; more would memorize them`,
        );
        hp.maxSteps = cap;
      }
    }
    const steps = hp.maxSteps ?? Math.ceil(stepsPerEpoch * (hp.numEpochs ?? 1));
    const warmupCap = Math.floor(steps * MAX_WARMUP_SHARE);
    if (
      fromPreset.has("warmupSteps") &&
      hp.warmupSteps !== undefined &&
      hp.warmupSteps > warmupCap
    ) {
      adapt(
        "hyperparameters.warmupSteps",
        hp.warmupSteps,
        warmupCap,
        `a tenth of the run's ${steps} steps`,
      );
      hp.warmupSteps = warmupCap;
    }
  }

  if (model && !req.compute?.gpuType && gpuType !== "CPU") {
    const x = { method, backend, gpuCount, hp };
    const here = fitsOn(model, gpuType, x);
    if (!here.fits) {
      const bigger = GPUS_BY_SIZE.find((g) => fitsOn(model, g, x).fits);
      if (bigger) {
        adapt(
          "compute.gpuType",
          gpuType,
          bigger,
          `needs about ${here.vramGb} GB; a ${gpuType} has ${GPUS[gpuType].memoryGb} GB`,
        );
        gpuType = bigger;
      }
    }
  }

  const input: z.input<typeof createTrainingJobBodySchema> = {
    model: req.model,
    datasetVersionId: req.datasetVersionId,
    ...(req.evalDatasetVersionId ? { evalDatasetVersionId: req.evalDatasetVersionId } : {}),
    baseModel: req.baseModel,
    method,
    backend,
    executor,
    hyperparameters: Object.fromEntries(
      Object.entries(hp).filter(([, v]) => v !== undefined),
    ) as z.input<typeof createTrainingJobBodySchema>["hyperparameters"],
    compute: { gpuType, gpuCount },
  };
  return { preset: presetId, input, notes, result: createTrainingJobBodySchema.safeParse(input) };
}
