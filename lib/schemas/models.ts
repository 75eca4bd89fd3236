import { z } from "zod";
import { isoDateSchema, modelNameSchema } from "./common";
import { runMetricsSchema } from "./eval-metrics";
import { evalRunStatusSchema, evalTargetViewSchema } from "./evals";
import {
  gateConditionResultSchema,
  gateEvaluationSchema,
  gatePolicySchema,
  gateStatusSchema,
} from "./gates";
import { stageSchema } from "./model-cards";
import { roleSchema } from "./roles";
import { modelVersionSchema } from "./training-jobs";

/** The registry API: Models, their gate policy, versions with evals, gate, approval, stage. */

// One rule for Model names, wherever a Model is named: POST /models and launch (common.ts).
export { modelNameSchema };

export const createModelBodySchema = z.strictObject({
  name: modelNameSchema,
  description: z.string().max(2_000).optional(),
  evalSuiteId: z.string().min(1).optional(),
  gatePolicy: gatePolicySchema.optional(),
});
export type CreateModelBody = z.input<typeof createModelBodySchema>;

/** PATCH: absent fields are kept; `null` clears the suite or the gate policy. */
export const updateModelBodySchema = z.strictObject({
  name: modelNameSchema.optional(),
  description: z.string().max(2_000).nullable().optional(),
  evalSuiteId: z.string().min(1).nullable().optional(),
  gatePolicy: gatePolicySchema.nullable().optional(),
});
export type UpdateModelBody = z.input<typeof updateModelBodySchema>;

export const APPROVAL_STATUSES = ["NOT_REQUIRED", "PENDING", "APPROVED", "REJECTED"] as const;
export const approvalStatusSchema = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

export const approvalDecisionSchema = z.object({
  decision: z.enum(["APPROVE", "REJECT"]),
  userId: z.string(),
  userName: z.string(),
  role: roleSchema,
  comment: z.string().nullable(),
  createdAt: isoDateSchema,
});

export const approvalSchema = z.object({
  required: z.boolean(),
  status: approvalStatusSchema,
  approverRoles: z.array(roleSchema),
  /** Whether the launcher of the version's training job may approve it. */
  launcherMayApprove: z.boolean(),
  decisions: z.array(approvalDecisionSchema),
});
export type Approval = z.infer<typeof approvalSchema>;

/** The API's gate summary (`conditions` as the issue names them) plus the full evidence. */
export const versionGateSchema = z.object({
  status: gateStatusSchema,
  conditions: z.array(gateConditionResultSchema),
  failures: z.array(z.string()),
  evidence: gateEvaluationSchema.nullable(),
  decidedAt: isoDateSchema.nullable(),
  productionVersionId: z.string().nullable(),
});
export type VersionGate = z.infer<typeof versionGateSchema>;

export const versionEvalSchema = z.object({
  runId: z.string(),
  status: evalRunStatusSchema,
  target: evalTargetViewSchema,
  metrics: runMetricsSchema,
  caseCount: z.number().int(),
  progress: z.number(),
});
export type VersionEval = z.infer<typeof versionEvalSchema>;

export const promotionSchema = z.object({
  fromStage: stageSchema,
  toStage: stageSchema,
  kind: z.string(),
  override: z.boolean(),
  reason: z.string().nullable(),
  actor: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type Promotion = z.infer<typeof promotionSchema>;

export const servabilitySchema = z.object({
  servable: z.boolean(),
  problems: z.array(z.string()),
  rank: z.number().nullable(),
  maxLoraRank: z.number(),
  snippet: z.string(),
});

export const modelVersionDetailSchema = modelVersionSchema.extend({
  evals: z.array(versionEvalSchema),
  gate: versionGateSchema,
  approval: approvalSchema,
  promotions: z.array(promotionSchema),
  servability: servabilitySchema.nullable(),
});
export type ModelVersionDetail = z.infer<typeof modelVersionDetailSchema>;

export const versionListItemSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  stage: stageSchema,
  aliases: z.array(z.string()),
  baseModel: z.string(),
  trainingJobId: z.string().nullable(),
  /** The same status as the version's detail `gate.status` (never null since NOT_EVALUATED). */
  gateStatus: gateStatusSchema.nullable(),
  approvalStatus: approvalStatusSchema,
  /** The version's own eval metrics on the Model's suite, when evaluated. */
  metrics: runMetricsSchema,
  createdAt: isoDateSchema,
});
export type VersionListItem = z.infer<typeof versionListItemSchema>;

export const modelSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  evalSuiteId: z.string().nullable(),
  evalSuiteName: z.string().nullable(),
  production: z.object({ id: z.string(), version: z.number().int() }).nullable(),
  versionCount: z.number().int(),
  latestVersion: z.number().int().nullable(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type ModelSummary = z.infer<typeof modelSummarySchema>;

export const modelListSchema = z.object({ models: z.array(modelSummarySchema) });

export const modelDetailSchema = modelSummarySchema.extend({
  gatePolicy: gatePolicySchema.nullable(),
  /** Whether the Model has a retrain policy (GET …/retrain-policy answers 404 when not). */
  hasRetrainPolicy: z.boolean(),
  versions: z.array(versionListItemSchema),
});
export type ModelDetail = z.infer<typeof modelDetailSchema>;

export const approveBodySchema = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  comment: z.string().trim().max(2_000).optional(),
});
export type ApproveBody = z.input<typeof approveBodySchema>;

export const promoteBodySchema = z
  .strictObject({
    stage: stageSchema,
    reason: z.string().trim().max(2_000).optional(),
    /** OWNER only: promote although the gate did not pass; `reason` is then required. */
    override: z.boolean().default(false),
  })
  .refine((b) => !b.override || (b.reason && b.reason.length > 0), {
    path: ["reason"],
    message: "an override needs a reason",
  });
export type PromoteBody = z.input<typeof promoteBodySchema>;

/** Candidate vs another run on the same suite, cases whose outcome changed first. */
export const comparisonQuerySchema = z.object({
  against: z.string().default("production"),
});
export const comparisonCaseSchema = z.object({
  index: z.number().int(),
  change: z.enum(["fixed", "broken", "same"]),
  candidatePassed: z.boolean(),
  otherPassed: z.boolean(),
  prompt: z.string(),
  expected: z.unknown(),
  candidateOutput: z.unknown(),
  otherOutput: z.unknown(),
  candidateReasons: z.record(z.string(), z.string()),
  otherReasons: z.record(z.string(), z.string()),
});
export const comparisonSchema = z.object({
  candidate: versionEvalSchema.nullable(),
  other: versionEvalSchema.nullable(),
  otherLabel: z.string(),
  metrics: z.array(
    z.object({
      metric: z.string(),
      candidate: z.number().nullable(),
      other: z.number().nullable(),
    }),
  ),
  counts: z.object({ fixed: z.number(), broken: z.number(), same: z.number() }),
  cases: z.array(comparisonCaseSchema),
});
export type Comparison = z.infer<typeof comparisonSchema>;

/** PUT /model-versions/{id}/aliases: the version's aliases; one alias names one version per Model. */
export const setAliasesBodySchema = z.strictObject({
  aliases: z
    .array(
      z
        .string()
        .trim()
        .regex(
          /^[a-z][a-z0-9_-]{0,39}$/,
          "lower-case letters, digits, _ and -, starting with a letter",
        ),
    )
    .max(20),
});
export type SetAliasesBody = z.input<typeof setAliasesBodySchema>;
