import { z } from "zod";
import { findBaseModel } from "@/lib/domain/base-models";
import { GPU_TYPES } from "@/lib/domain/training-estimate";
import { TRAINING_WARNING_CODES } from "@/lib/domain/training-signals";
import { TRAINING_STATUSES } from "@/lib/domain/training-status";
import { isoDateSchema, modelNameSchema } from "./common";
import { searchTextSchema } from "./search";

/**
 * A LoRA/QLoRA training job spec. Validation refuses, with field-level messages, what the
 * trainers would refuse (Axolotl's rules in docs/architecture.md, "Training") and what cannot run where it is sent,
 * so nothing fails after a GPU has been rented.
 */
export const METHODS = ["LORA", "QLORA"] as const;
export const BACKENDS = ["AXOLOTL", "UNSLOTH", "PEFT"] as const;
export const EXECUTORS = ["LOCAL", "DOCKER", "KUBERNETES"] as const;
export const LR_SCHEDULERS = ["cosine", "linear", "constant", "constant_with_warmup"] as const;

/**
 * Each field's rule, written once: the resolved spec below adds its defaults, and the request
 * (trainingJobRequestSchema) takes every field as optional.
 */
const hyperparameterFields = {
  loraR: z.number().int().min(1).max(512),
  loraAlpha: z.number().int().min(1).max(1024),
  loraDropout: z.number().min(0).lt(1),
  targetModules: z.array(z.string().regex(/^[a-z_]+$/, "a module name such as q_proj")).min(1),
  learningRate: z.number().positive().max(1),
  numEpochs: z.number().positive().max(100),
  maxSteps: z.number().int().positive(),
  microBatchSize: z.number().int().min(1).max(512),
  gradientAccumulationSteps: z.number().int().min(1).max(1024),
  warmupSteps: z.number().int().min(0),
  warmupRatio: z.number().min(0).max(0.5),
  sequenceLen: z.number().int().min(16),
  lrScheduler: z.enum(LR_SCHEDULERS),
  seed: z.number().int().min(0),
  /** A checkpoint (what a retry resumes from) every this many steps; unset: about 8 a run. */
  saveSteps: z.number().int().min(1),
};
const computeFields = {
  gpuType: z.enum(GPU_TYPES),
  gpuCount: z.number().int().min(1).max(8),
};
const specFields = {
  model: z.string().trim().min(1).max(100),
  datasetVersionId: z.string().min(1),
  evalDatasetVersionId: z.string().min(1),
  baseModel: z.string().min(1),
  method: z.enum(METHODS),
  backend: z.enum(BACKENDS),
  executor: z.enum(EXECUTORS),
};

export const hyperparametersSchema = z.object({
  ...hyperparameterFields,
  loraDropout: hyperparameterFields.loraDropout.default(0),
  targetModules: hyperparameterFields.targetModules.optional(),
  numEpochs: hyperparameterFields.numEpochs.optional(),
  maxSteps: hyperparameterFields.maxSteps.optional(),
  warmupSteps: hyperparameterFields.warmupSteps.optional(),
  warmupRatio: hyperparameterFields.warmupRatio.optional(),
  sequenceLen: hyperparameterFields.sequenceLen.default(2048),
  lrScheduler: hyperparameterFields.lrScheduler.default("cosine"),
  seed: hyperparameterFields.seed.default(42),
  saveSteps: hyperparameterFields.saveSteps.optional(),
});
export type Hyperparameters = z.infer<typeof hyperparametersSchema>;

export const computeSchema = z.object({
  gpuType: computeFields.gpuType,
  gpuCount: computeFields.gpuCount.default(1),
});

/**
 * The complete spec a job runs: what launch stores (`TrainingJob.spec`), backends render and
 * the API returns as `spec`. The API's request is trainingJobRequestSchema, resolved into this
 * by lib/domain/training-spec.ts; the defaults below only fill specs stored before that.
 */
export const createTrainingJobBodySchema = z
  .object({
    ...specFields,
    evalDatasetVersionId: specFields.evalDatasetVersionId.optional(),
    backend: specFields.backend.default("PEFT"),
    executor: specFields.executor.default("LOCAL"),
    hyperparameters: hyperparametersSchema,
    compute: computeSchema.default({ gpuType: "CPU", gpuCount: 1 }),
  })
  .superRefine((spec, ctx) => {
    const hp = spec.hyperparameters;
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    const model = findBaseModel(spec.baseModel);
    if (!model)
      issue(["baseModel"], `unknown base model "${spec.baseModel}"; see GET /api/v1/base-models`);
    else if (!model.arch)
      issue(["baseModel"], `${spec.baseModel} can be used for token counting only, not fine-tuned`);
    else {
      if (hp.sequenceLen > model.contextLength) {
        issue(
          ["hyperparameters", "sequenceLen"],
          `${hp.sequenceLen} exceeds ${model.name}'s context of ${model.contextLength} tokens`,
        );
      }
      const unknown = (hp.targetModules ?? []).filter((m) => !model.loraTargets.includes(m));
      if (unknown.length) {
        issue(
          ["hyperparameters", "targetModules"],
          `${unknown.join(", ")} not in ${model.name}; its linear layers are ${model.loraTargets.join(", ")}`,
        );
      }
    }
    // Axolotl: warmup_steps and warmup_ratio exclude each other.
    if (hp.warmupSteps !== undefined && hp.warmupRatio !== undefined) {
      issue(["hyperparameters", "warmupRatio"], "set warmupSteps or warmupRatio, not both");
    }
    // Axolotl: a run needs a length: epochs, or max_steps (which takes precedence).
    if (hp.numEpochs === undefined && hp.maxSteps === undefined) {
      issue(["hyperparameters", "numEpochs"], "set numEpochs or maxSteps");
    }
    const gpu = spec.compute.gpuType !== "CPU";
    // QLoRA is bitsandbytes 4-bit loading (Axolotl: adapter qlora ⇒ load_in_4bit), CUDA only.
    if (spec.method === "QLORA" && !gpu)
      issue(
        ["method"],
        "QLoRA loads the base in 4-bit with bitsandbytes, which needs a CUDA GPU; pick a GPU or LORA",
      );
    if (spec.backend === "UNSLOTH" && !gpu)
      issue(["backend"], "Unsloth needs an NVIDIA GPU; use PEFT to train on CPU");
    if (spec.backend === "AXOLOTL" && spec.executor === "LOCAL") {
      issue(
        ["executor"],
        "Axolotl runs in its container image: use DOCKER or KUBERNETES (or the PEFT backend locally)",
      );
    }
    if (spec.compute.gpuCount > 1 && spec.executor === "LOCAL")
      issue(["compute", "gpuCount"], "multi-GPU runs need DOCKER or KUBERNETES");
    if (spec.evalDatasetVersionId && spec.evalDatasetVersionId === spec.datasetVersionId) {
      issue(
        ["evalDatasetVersionId"],
        "the eval set must differ from the training set (the training set's own eval split is used when this is omitted)",
      );
    }
  });
export type CreateTrainingJobBody = z.infer<typeof createTrainingJobBodySchema>;

/** Starting points drawn from where fine-tuning pays; the form fills the fields from them. */
export const TRAINING_PRESETS = {
  "tool-call-format": {
    label: "Tool-call format consistency",
    description:
      "Teach a mid-size model to emit exactly the tool-call format and argument shapes production uses.",
    baseModel: "meta-llama/Llama-3.1-8B-Instruct",
    method: "QLORA",
    hyperparameters: {
      loraR: 16,
      loraAlpha: 32,
      loraDropout: 0.05,
      learningRate: 2e-4,
      numEpochs: 3,
      microBatchSize: 2,
      gradientAccumulationSteps: 4,
      warmupRatio: 0.05,
      sequenceLen: 2048,
      lrScheduler: "cosine",
      seed: 42,
    },
  },
  "narrow-domain-reasoning": {
    label: "Narrow-domain reasoning",
    description:
      "Longer examples and a higher rank for a component that reasons over one domain's documents.",
    baseModel: "Qwen/Qwen2.5-7B-Instruct",
    method: "LORA",
    hyperparameters: {
      loraR: 32,
      loraAlpha: 64,
      loraDropout: 0.05,
      learningRate: 1e-4,
      numEpochs: 2,
      microBatchSize: 1,
      gradientAccumulationSteps: 8,
      warmupRatio: 0.03,
      sequenceLen: 4096,
      lrScheduler: "cosine",
      seed: 42,
    },
  },
  "small-latency-critical": {
    label: "Small, latency-critical model",
    description: "A 1B model for a hot path where a frontier call is too slow or too expensive.",
    baseModel: "meta-llama/Llama-3.2-1B-Instruct",
    method: "LORA",
    hyperparameters: {
      loraR: 16,
      loraAlpha: 32,
      loraDropout: 0,
      learningRate: 3e-4,
      numEpochs: 3,
      microBatchSize: 8,
      gradientAccumulationSteps: 2,
      warmupSteps: 20,
      sequenceLen: 1024,
      lrScheduler: "cosine",
      seed: 42,
    },
  },
  "tiny-cpu-demo": {
    label: "Tiny local model (CPU)",
    description:
      "retune/tiny-chat trains in a minute or two on a laptop CPU: the whole loop, for real.",
    baseModel: "retune/tiny-chat",
    method: "LORA",
    hyperparameters: {
      loraR: 16,
      loraAlpha: 32,
      loraDropout: 0,
      // 5e-3 (issue #13): npm run bench:recipe measures what it learns on the full generator.
      learningRate: 5e-3,
      maxSteps: 375,
      microBatchSize: 16,
      gradientAccumulationSteps: 1,
      warmupSteps: 10,
      sequenceLen: 256,
      lrScheduler: "cosine",
      seed: 42,
    },
  },
} as const;

export type PresetId = keyof typeof TRAINING_PRESETS;
export const PRESET_IDS = Object.keys(TRAINING_PRESETS) as [PresetId, ...PresetId[]];

/**
 * POST /training-jobs and /training-jobs/preview: `model`, `datasetVersionId` and `baseModel`;
 * every other field is optional and comes from `preset` (default: the one for the base model)
 * adapted to the base model and the dataset (lib/domain/training-spec.ts). The resolved spec is
 * then checked by createTrainingJobBodySchema's rules, so errors still name fields. Unknown keys
 * are refused, naming them: a misspelt field must not silently become a preset's value.
 */
export const trainingJobRequestSchema = z.strictObject({
  /** A Model's id or name; a name not yet registered creates the Model, so POST /models' rule. */
  model: modelNameSchema,
  datasetVersionId: specFields.datasetVersionId,
  baseModel: specFields.baseModel,
  evalDatasetVersionId: specFields.evalDatasetVersionId.optional(),
  preset: z.enum(PRESET_IDS).optional(),
  method: specFields.method.optional(),
  backend: specFields.backend.optional(),
  executor: specFields.executor.optional(),
  hyperparameters: z.strictObject(hyperparameterFields).partial().optional(),
  compute: z.strictObject(computeFields).partial().optional(),
});
export type TrainingJobRequest = z.infer<typeof trainingJobRequestSchema>;

// ───────────── Responses ─────────────

export const trainingStatusSchema = z.enum(TRAINING_STATUSES);
export const triggerSchema = z.enum(["MANUAL", "API", "SCHEDULE", "DRIFT"]);

export const trainingWarningSchema = z.object({
  code: z.enum(TRAINING_WARNING_CODES),
  message: z.string(),
});
export type TrainingWarning = z.infer<typeof trainingWarningSchema>;

export const estimateSchema = z.object({
  vramGb: z.number(),
  breakdownGb: z.object({
    weights: z.number(),
    adapters: z.number(),
    activations: z.number(),
    logits: z.number(),
    runtime: z.number(),
  }),
  fits: z.boolean(),
  gpuMemoryGb: z.number().nullable(),
  loraParams: z.number(),
  tokensPerEpoch: z.number(),
  steps: z.number(),
  /** Passes over the training rows (steps / steps per epoch); null in estimates stored before it. */
  epochs: z.number().nullable().default(null),
  hours: z.number(),
  costUsd: z.number(),
  /** Warnings, never blockers (many_epochs); see lib/domain/training-signals.ts. */
  warnings: z.array(trainingWarningSchema).default([]),
});
export type TrainingEstimate = z.infer<typeof estimateSchema>;

export const attemptSchema = z.object({
  attempt: z.number().int(),
  status: trainingStatusSchema,
  externalId: z.string().nullable(),
  resume: z.boolean(),
  resumedFromStep: z.number().int().nullable(),
  lastStep: z.number().int(),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: isoDateSchema,
  startedAt: isoDateSchema.nullable(),
  runningAt: isoDateSchema.nullable(),
  finishedAt: isoDateSchema.nullable(),
});
export type TrainingAttempt = z.infer<typeof attemptSchema>;

export const trainingJobSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: trainingStatusSchema,
  model: z.object({ id: z.string(), name: z.string() }),
  baseModel: z.string(),
  method: z.enum(METHODS),
  backend: z.enum(BACKENDS),
  executor: z.enum(EXECUTORS),
  trigger: triggerSchema,
  attempt: z.number().int(),
  progress: z.number(),
  currentStep: z.number().int(),
  totalSteps: z.number().int().nullable(),
  etaSeconds: z.number().int().nullable(),
  /** 1-based place among QUEUED jobs waiting for this executor; null unless QUEUED. */
  queuePosition: z.number().int().nullable(),
  datasetVersionId: z.string(),
  evalDatasetVersionId: z.string().nullable(),
  modelVersionId: z.string().nullable(),
  costUsd: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: isoDateSchema,
  startedAt: isoDateSchema.nullable(),
  finishedAt: isoDateSchema.nullable(),
});
export type TrainingJobSummary = z.infer<typeof trainingJobSummarySchema>;

/**
 * Compute time (lib/domain/compute-time.ts): every attempt's measured wall time, start to end
 * (a running attempt up to now), × the devices it held — its GPUs, or one CPU host — labelled by
 * the device and priced by its hourly rate (CPU hosts: $0).
 */
export const computeTimeSchema = z.object({
  seconds: z.number().nonnegative(),
  wallSeconds: z.number().nonnegative(),
  device: z.enum(["CPU", "GPU"]),
  devices: z.number().int().min(1),
  gpuType: z.enum(GPU_TYPES),
  costUsd: z.number().nonnegative(),
});

export const trainingJobSchema = trainingJobSummarySchema.extend({
  spec: createTrainingJobBodySchema,
  estimate: estimateSchema.nullable(),
  /** GPU time: `compute.seconds` of a GPU run; null for a CPU run (it has none). */
  gpuSeconds: z.number().nullable(),
  /** Null until an attempt starts. */
  compute: computeTimeSchema.nullable(),
  /**
   * What the numbers warn about: the estimate's (many_epochs) and the loss curves' (eval loss
   * rising: overfitting or diverging). Warnings, never failures.
   */
  warnings: z.array(trainingWarningSchema),
  attempts: z.array(attemptSchema),
  /** What the backend runs: the rendered Axolotl YAML or the trainer spec JSON. */
  config: z.object({ kind: z.enum(["axolotl-yaml", "trainer-spec"]), text: z.string() }).nullable(),
  command: z.array(z.string()).nullable(),
  artifacts: z.array(z.object({ name: z.string(), bytes: z.number() })),
  createdBy: z.string().nullable(),
});
export type TrainingJob = z.infer<typeof trainingJobSchema>;

export const trainingJobListSchema = z.object({ jobs: z.array(trainingJobSummarySchema) });
export const trainingJobListQuerySchema = z.object({
  status: trainingStatusSchema.optional(),
  model: z.string().optional(),
  trigger: triggerSchema.optional(),
  baseModel: z.string().optional(),
  /** A substring of the job's name, its Model's name or its base model (any case). */
  q: searchTextSchema,
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const launchResponseSchema = z.object({ id: z.string(), status: trainingStatusSchema });

/** POST /training-jobs/{id}/cancel and /retry: the job's status after the action. */
export const trainingJobActionSchema = z.object({
  id: z.string(),
  status: trainingStatusSchema,
  /** Retry only: the new attempt's number. */
  attempt: z.number().int().optional(),
});
export type TrainingJobAction = z.infer<typeof trainingJobActionSchema>;

export const metricPointSchema = z.object({
  step: z.number().int(),
  name: z.string(),
  value: z.number(),
  attempt: z.number().int(),
});
export const metricsResponseSchema = z.object({ points: z.array(metricPointSchema) });
export const metricsQuerySchema = z.object({
  name: z.string().optional(),
  /** Only points after this step (live charts poll with the last step they have). */
  afterStep: z.coerce.number().int().optional(),
});

export const logsQuerySchema = z.object({
  attempt: z.coerce.number().int().positive().optional(),
  /** Byte offset into the attempt's log; the response's `next` is the next call's `after`. */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(4 * 1024 * 1024)
    .default(256 * 1024),
  download: z
    .string()
    .optional()
    .describe("`1`: the attempt's whole log file as text/plain instead of a JSON page."),
});
export const logsResponseSchema = z.object({
  attempt: z.number().int(),
  text: z.string(),
  next: z.number().int(),
  /** The attempt finished and everything it wrote has been read. */
  complete: z.boolean(),
});

export const retryBodySchema = z.strictObject({
  /** Continue from the newest checkpoint (default) or start over. */
  resume: z.boolean().default(true),
});

export const modelVersionSchema = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  version: z.number().int(),
  stage: z.enum(["CANDIDATE", "STAGING", "PRODUCTION", "ARCHIVED"]),
  aliases: z.array(z.string()),
  baseModel: z.string(),
  trainingJobId: z.string().nullable(),
  adapter: z
    .object({
      uri: z.string(),
      files: z.array(z.object({ name: z.string(), bytes: z.number() })),
    })
    .nullable(),
  createdAt: isoDateSchema,
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const baseModelListSchema = z.object({
  models: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      family: z.string(),
      paramsB: z.number(),
      contextLength: z.number(),
      license: z.string(),
      loraTargets: z.array(z.string()),
      exactTokenizer: z.boolean(),
    }),
  ),
});

export const executorInfoSchema = z.object({
  executors: z.array(
    z.object({
      kind: z.enum(EXECUTORS),
      available: z.boolean(),
      reason: z.string().nullable(),
      maxConcurrent: z.number().int(),
    }),
  ),
});
