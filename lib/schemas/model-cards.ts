import { z } from "zod";
import { isoDateSchema } from "./common";
import { confidenceSignalSchema, routingRuleSchema } from "./economics";
import { runMetricsSchema } from "./eval-metrics";
import { gateEvaluationSchema, gateStatusSchema } from "./gates";
import { METHODS, triggerSchema } from "./training-jobs";

/**
 * GET /api/v1/model-versions/{id}/card: everything a model card says, gathered from data by
 * lib/server, plus the narrative people edit. lib/domain/model-card.ts renders it as Markdown
 * with Hugging Face-style front matter (docs/architecture.md, "Evaluation and the registry").
 */

export const STAGES = ["CANDIDATE", "STAGING", "PRODUCTION", "ARCHIVED"] as const;
export const stageSchema = z.enum(STAGES);

/** Whose eval a card row shows: this version, the production version, the base model alone. */
export const CARD_EVAL_TARGETS = ["VERSION", "PRODUCTION", "BASE_MODEL", "ENDPOINT"] as const;

export const modelCardEvalSchema = z.object({
  targetKind: z.enum(CARD_EVAL_TARGETS),
  /** "v3", "production (v2)", "Llama-3.1-8B-Instruct", "gpt-4o"… shown as a column header. */
  label: z.string(),
  suiteName: z.string(),
  evalRunId: z.string().optional(),
  caseCount: z.number().int().nonnegative().optional(),
  metrics: runMetricsSchema,
});
export type ModelCardEval = z.infer<typeof modelCardEvalSchema>;

/**
 * The version's newest routing calibration (lib/server/registry/routing-calibration.ts), as the
 * card reports it: the chosen rule and what it gives on the suite against frontier-only.
 */
export const modelCardRoutingSchema = z.object({
  calibrationId: z.string(),
  suiteName: z.string(),
  frontierLabel: z.string(),
  cases: z.number().int().nonnegative(),
  metric: z.string(),
  signal: confidenceSignalSchema,
  margin: z.number(),
  /** Null when no threshold was within the margin (no cases). */
  rule: routingRuleSchema.nullable(),
  ruleDescription: z.string().nullable(),
  keptShare: z.number().nullable(),
  hybridAccuracy: z.number().nullable(),
  costPer1kUsd: z.number().nullable(),
  frontierAccuracy: z.number(),
  frontierCostPer1kUsd: z.number(),
  /** Which prices the costs used, in words (both sides). */
  prices: z.string(),
  createdAt: isoDateSchema,
});
export type ModelCardRouting = z.infer<typeof modelCardRoutingSchema>;

export const modelCardPromotionSchema = z.object({
  from: stageSchema.nullable(),
  to: stageSchema,
  by: z.string().nullable(),
  at: isoDateSchema,
  reason: z.string().nullable(),
});

export const modelCardSchema = z.object({
  model: z.object({ id: z.string(), name: z.string(), description: z.string().nullable() }),
  version: z.object({
    id: z.string(),
    version: z.number().int(),
    stage: stageSchema,
    aliases: z.array(z.string()),
    createdAt: isoDateSchema,
    baseModel: z.string(),
    method: z.enum(METHODS).nullable(),
    /** The training spec's hyperparameters as stored (camelCase keys). */
    hyperparameters: z.record(z.string(), z.unknown()),
    /** SPDX-like id, e.g. "llama3.1"; null lets the renderer use the base-model catalogue. */
    license: z.string().nullable().default(null),
    adapterFiles: z.array(z.object({ name: z.string(), bytes: z.number().nonnegative() })),
  }),
  /** Null for an adapter registered without a retune dataset. */
  lineage: z
    .object({
      datasetVersionId: z.string(),
      datasetName: z.string(),
      version: z.number().int(),
      rows: z.number().int().nonnegative(),
      /** Share of rows per provenance, 0–1 (production_traces, human_labelled, synthetic…). */
      provenance: z.record(z.string(), z.number()),
      evalDatasetVersionId: z.string().nullable().optional(),
    })
    .nullable(),
  /** Null for an adapter registered without a retune training job. */
  training: z
    .object({
      jobId: z.string(),
      trigger: triggerSchema,
      gpuSeconds: z.number().nonnegative().nullable(),
      /** Device-seconds the job held, by device (absent in cards stored before it existed). */
      compute: z
        .object({ device: z.enum(["CPU", "GPU"]), seconds: z.number().nonnegative() })
        .nullable()
        .optional(),
      costUsd: z.number().nonnegative().nullable(),
      finishedAt: isoDateSchema.nullable(),
      finalLoss: z.number().nullable().optional(),
      finalEvalLoss: z.number().nullable().optional(),
    })
    .nullable(),
  evals: z.array(modelCardEvalSchema),
  /** Absent in cards made before routing calibration existed; null when never calibrated. */
  routing: modelCardRoutingSchema.nullable().optional(),
  /** The version's gate status as its page shows it (NOT_EVALUATED without evidence). */
  gateStatus: gateStatusSchema,
  /** Why it is not PASSED: the missing evidence or the failing checks. */
  gateFailures: z.array(z.string()),
  /** The gate's evidence; null when the Model has no gate policy. */
  gate: gateEvaluationSchema.nullable(),
  decisions: z.array(
    z.object({
      /** Absent in cards written before statuses were stored with decisions here. */
      status: gateStatusSchema.optional(),
      passed: z.boolean(),
      createdAt: isoDateSchema,
      failures: z.array(z.string()),
    }),
  ),
  approvals: z.array(
    z.object({
      decision: z.enum(["APPROVED", "REJECTED"]),
      by: z.string(),
      comment: z.string().nullable(),
      at: isoDateSchema,
    }),
  ),
  history: z.array(
    z.object({
      version: z.number().int(),
      stage: stageSchema,
      createdAt: isoDateSchema,
      promotions: z.array(modelCardPromotionSchema),
    }),
  ),
  narrative: z.object({
    intendedUse: z.string().default(""),
    limitations: z.string().default(""),
    owner: z.string().default(""),
  }),
});
export type ModelCard = z.infer<typeof modelCardSchema>;
export type ModelCardInput = z.input<typeof modelCardSchema>;

/** PUT /api/v1/model-versions/{id}/card: only the narrative is editable; the rest is data. */
export const updateModelCardNarrativeBodySchema = z.strictObject({
  intendedUse: z.string().max(20_000).optional(),
  limitations: z.string().max(20_000).optional(),
  owner: z.string().max(200).optional(),
});
