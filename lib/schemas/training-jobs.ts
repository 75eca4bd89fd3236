import { z } from "zod";
import { findBaseModel } from "@/lib/domain/base-models";
import { GPU_TYPES } from "@/lib/domain/training-estimate";
import { TRAINING_STATUSES } from "@/lib/domain/training-status";
import { isoDateSchema } from "./common";

/**
 * A LoRA/QLoRA training job spec. Validation refuses, with field-level messages, what the
 * trainers would refuse (Axolotl's rules in docs/architecture.md, "Training") and what cannot run where it is sent,
 * so nothing fails after a GPU has been rented.
 */
export const METHODS = ["LORA", "QLORA"] as const;
export const BACKENDS = ["AXOLOTL", "UNSLOTH", "PEFT"] as const;
export const EXECUTORS = ["LOCAL", "DOCKER", "KUBERNETES"] as const;
export const LR_SCHEDULERS = ["cosine", "linear", "constant", "constant_with_warmup"] as const;

export const hyperparametersSchema = z.object({
  loraR: z.number().int().min(1).max(512),
  loraAlpha: z.number().int().min(1).max(1024),
  loraDropout: z.number().min(0).lt(1).default(0),
  targetModules: z
    .array(z.string().regex(/^[a-z_]+$/, "a module name such as q_proj"))
    .min(1)
    .optional(),
  learningRate: z.number().positive().max(1),
  numEpochs: z.number().positive().max(100).optional(),
  maxSteps: z.number().int().positive().optional(),
  microBatchSize: z.number().int().min(1).max(512),
  gradientAccumulationSteps: z.number().int().min(1).max(1024),
  warmupSteps: z.number().int().min(0).optional(),
  warmupRatio: z.number().min(0).max(0.5).optional(),
  sequenceLen: z.number().int().min(16).default(2048),
  lrScheduler: z.enum(LR_SCHEDULERS).default("cosine"),
  seed: z.number().int().min(0).default(42),
});
export type Hyperparameters = z.infer<typeof hyperparametersSchema>;

export const computeSchema = z.object({
  gpuType: z.enum(GPU_TYPES),
  gpuCount: z.number().int().min(1).max(8).default(1),
});

export const createTrainingJobBodySchema = z
  .object({
    model: z.string().trim().min(1).max(100),
    datasetVersionId: z.string().min(1),
    evalDatasetVersionId: z.string().min(1).optional(),
    baseModel: z.string().min(1),
    method: z.enum(METHODS),
    backend: z.enum(BACKENDS).default("PEFT"),
    executor: z.enum(EXECUTORS).default("LOCAL"),
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
      "retune/tiny-chat trains in about a minute on a laptop CPU: the whole loop, for real.",
    baseModel: "retune/tiny-chat",
    method: "LORA",
    hyperparameters: {
      loraR: 16,
      loraAlpha: 32,
      loraDropout: 0,
      learningRate: 3e-3,
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

// ───────────── Responses ─────────────

export const trainingStatusSchema = z.enum(TRAINING_STATUSES);
export const triggerSchema = z.enum(["MANUAL", "API", "SCHEDULE", "DRIFT"]);

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
  hours: z.number(),
  costUsd: z.number(),
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

export const trainingJobSchema = trainingJobSummarySchema.extend({
  spec: createTrainingJobBodySchema,
  estimate: estimateSchema.nullable(),
  gpuSeconds: z.number().nullable(),
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
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const launchResponseSchema = z.object({ id: z.string(), status: trainingStatusSchema });

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
});
export const logsResponseSchema = z.object({
  attempt: z.number().int(),
  text: z.string(),
  next: z.number().int(),
  /** The attempt finished and everything it wrote has been read. */
  complete: z.boolean(),
});

export const retryBodySchema = z.object({
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
