import { z } from "zod";
import { isoDateSchema } from "./common";
import { CORRECTORS, TRACE_OUTCOMES } from "./traces";

/** Re-tuning (docs/architecture.md, "Telemetry, drift and re-tuning"): when a Model trains again, and on what data. */

/**
 * Which traces become the next dataset: those of the last `days` whose outcome is in
 * `outcomes` or that were corrected by one of `correctedBy` (a corrected failure is a good
 * example: its final answer is the correction), optionally mixed with rows of a base dataset
 * version, of which at most `maxSyntheticShare` may be synthetic.
 */
export const datasetRecipeSchema = z.strictObject({
  days: z.number().int().min(1).max(3_650).default(90),
  outcomes: z.array(z.enum(TRACE_OUTCOMES)).max(2).default(["success"]),
  correctedBy: z.array(z.enum(CORRECTORS)).max(2).default(["frontier", "human"]),
  baseDatasetVersionId: z.string().min(1).nullable().default(null),
  maxSyntheticShare: z.number().min(0).max(1).default(0.5),
  /** Most traces a dataset takes (newest first). */
  maxTraces: z.number().int().min(1).max(1_000_000).default(50_000),
  /** Fewer usable traces than this and the retrain is skipped. */
  minTraces: z.number().int().min(1).max(1_000_000).default(20),
});
export type DatasetRecipe = z.infer<typeof datasetRecipeSchema>;

/** Fields of the training spec a policy may override; the rest come from production's job. */
export const trainingTemplateSchema = z.record(z.string(), z.unknown());

export const QUARTERLY_CRON = "0 6 1 1,4,7,10 *";

export const putRetrainPolicyBodySchema = z.strictObject({
  schedule: z.string().trim().min(1).max(100).default(QUARTERLY_CRON),
  timezone: z.string().trim().min(1).max(64).default("UTC"),
  datasetRecipe: datasetRecipeSchema.default(datasetRecipeSchema.parse({})),
  trainingTemplate: trainingTemplateSchema.nullable().default(null),
  autoPromote: z.boolean().default(false),
  enabled: z.boolean().default(true),
  minNewTraces: z.number().int().min(0).max(10_000_000).default(100),
  gpuBudgetUsd: z.number().finite().nonnegative().nullable().default(null),
  budgetPeriodDays: z.number().int().min(1).max(3_650).default(90),
});
export type PutRetrainPolicyBody = z.input<typeof putRetrainPolicyBodySchema>;

export const retrainPolicySchema = z.object({
  id: z.string(),
  modelId: z.string(),
  enabled: z.boolean(),
  schedule: z.string(),
  timezone: z.string(),
  datasetRecipe: datasetRecipeSchema,
  trainingTemplate: trainingTemplateSchema.nullable(),
  autoPromote: z.boolean(),
  minNewTraces: z.number(),
  gpuBudgetUsd: z.number().nullable(),
  budgetPeriodDays: z.number(),
  nextRunAt: isoDateSchema.nullable(),
  lastRunAt: isoDateSchema.nullable(),
  /** GPU cost of this Model's re-tunes in the current budget period. */
  spentUsd: z.number(),
  updatedAt: isoDateSchema,
});
export type RetrainPolicy = z.infer<typeof retrainPolicySchema>;

export const RETRAIN_STATUSES = ["SKIPPED", "BUILDING", "LAUNCHED", "FAILED"] as const;
/** `waiting`: nothing automatic will move it; a person acts (promotes, approves). */
export const LOOP_STEP_STATES = [
  "done",
  "active",
  "failed",
  "skipped",
  "pending",
  "waiting",
] as const;

/** One step of the loop as the Model page draws it: breach → dataset → job → eval → gate → promotion. */
export const loopStepSchema = z.object({
  step: z.enum(["trigger", "dataset", "job", "eval", "gate", "promotion"]),
  state: z.enum(LOOP_STEP_STATES),
  label: z.string(),
  detail: z.string().nullable(),
  /** Console path of the thing this step made, when there is one. */
  href: z.string().nullable(),
  at: isoDateSchema.nullable(),
});
export type LoopStep = z.infer<typeof loopStepSchema>;

export const retrainRequestSchema = z.object({
  id: z.string(),
  modelId: z.string(),
  key: z.string(),
  /** MANUAL: "Run now" on the policy. */
  trigger: z.enum(["DRIFT", "SCHEDULE", "MANUAL"]),
  status: z.enum(RETRAIN_STATUSES),
  reason: z.string(),
  monitorId: z.string().nullable(),
  driftCheckId: z.string().nullable(),
  traceCount: z.number().nullable(),
  datasetVersionId: z.string().nullable(),
  trainingJobId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  steps: z.array(loopStepSchema),
});
export type RetrainRequest = z.infer<typeof retrainRequestSchema>;

/** GET /models/{id}/retrains: how many of the newest. */
export const retrainListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const retrainListSchema = z.object({ retrains: z.array(retrainRequestSchema) });
