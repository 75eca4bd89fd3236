import { z } from "zod";
import { caseMetricSchema, metricNameSchema } from "./eval-metrics";
import { roleSchema } from "./roles";

/**
 * Gate policy per Model and the evidence of each gate evaluation (issue: gate policy).
 * lib/domain/gate.ts evaluates a policy; GateDecision rows store `gateEvaluationSchema` JSON.
 */

export const GATE_OPS = [">=", "<=", ">", "<"] as const;
export const gateOpSchema = z.enum(GATE_OPS);
export type GateOp = z.infer<typeof gateOpSchema>;

/**
 * NOT_EVALUATED: no evaluation of the version has finished (or the Model has no suite), so there
 * is no evidence at all; PENDING: evidence is on its way (a run is queued or running) or there is
 * no policy to decide it; PASSED and FAILED are decisions on evidence. Only PASSED lets a version
 * into PRODUCTION without an override.
 */
export const GATE_STATUSES = ["NOT_EVALUATED", "PENDING", "PASSED", "FAILED"] as const;
export const gateStatusSchema = z.enum(GATE_STATUSES);
export type GateStatus = z.infer<typeof gateStatusSchema>;

/**
 * `metric op threshold`, or with `relativeTo: "production"`, `metric op production + threshold`
 * (`tool_call_accuracy >= production - 0.01` is `{ op: ">=", threshold: -0.01, relativeTo }`).
 * With no production version yet a relative condition passes: a first version cannot regress.
 */
export const gateConditionSchema = z.object({
  metric: metricNameSchema,
  op: gateOpSchema,
  threshold: z.number().finite(),
  relativeTo: z.literal("production").optional(),
});
export type GateCondition = z.infer<typeof gateConditionSchema>;

/**
 * What cases are grouped by in a slice condition (the keys of a case's `slice`): the expected
 * tool, the row's intent, its category (`metadata.category`, a BFCL import's test category),
 * or, in an "all"-turn suite, the turn's position in its conversation ("1", "2", …). Cases
 * without the key are left out of that grouping.
 */
export const SLICE_BYS = ["tool", "intent", "category", "turn"] as const;
export const sliceBySchema = z.enum(SLICE_BYS);
export type SliceBy = z.infer<typeof sliceBySchema>;

/**
 * No slice (cases grouped by `by`) of the candidate may score below production's same slice by
 * more than `maxRegression`; slices with fewer paired cases than `minCasesPerSlice` are reported
 * as skipped, since a mean of 2 cases is noise.
 */
export const sliceConditionSchema = z.object({
  metric: caseMetricSchema,
  by: sliceBySchema,
  maxRegression: z.number().min(0).max(1),
  minCasesPerSlice: z.number().int().min(1).default(5),
});
export type SliceCondition = z.infer<typeof sliceConditionSchema>;

/**
 * The paired bootstrap CI of (candidate − production), cases paired by index, must have its
 * lower bound strictly above `minLowerBound` (0: "demonstrably better"; −0.02: "at most 2
 * points worse, with confidence"), so a small eval set cannot pass on luck.
 */
export const ciConditionSchema = z.object({
  metric: caseMetricSchema,
  confidence: z.number().min(0.5).max(0.999).default(0.95),
  minLowerBound: z.number().min(-1).max(1).default(0),
  resamples: z.number().int().min(100).max(100_000).default(2000),
});
export type CiCondition = z.infer<typeof ciConditionSchema>;

export const PROMOTION_TARGETS = ["STAGING", "PRODUCTION"] as const;

export const gatePolicySchema = z.object({
  conditions: z.array(gateConditionSchema).default([]),
  sliceConditions: z.array(sliceConditionSchema).default([]),
  ciConditions: z.array(ciConditionSchema).default([]),
  /** Fewer scored cases than this fails the gate: small eval sets prove little. */
  minCases: z.number().int().min(1).default(50),
  requireApproval: z.boolean().default(false),
  approverRoles: z.array(roleSchema).min(1).default(["OWNER", "ADMIN"]),
  /** Four eyes: the approver may not be whoever launched the training job. */
  approverMustDifferFromLauncher: z.boolean().default(false),
  /** Promote automatically once the gate passes (and approval, when required, is given). */
  autoPromoteTo: z.enum(PROMOTION_TARGETS).optional(),
});
export type GatePolicy = z.infer<typeof gatePolicySchema>;
export type GatePolicyInput = z.input<typeof gatePolicySchema>;

const nullableNumber = z.number().nullable();

export const gateConditionResultSchema = gateConditionSchema.extend({
  /** The candidate's value; null when its run lacks the metric. */
  value: nullableNumber,
  /** Production's value, for relative conditions. */
  baseline: nullableNumber,
  /** The threshold actually compared with: `threshold`, or `baseline + threshold`. */
  effectiveThreshold: nullableNumber,
  passed: z.boolean(),
  note: z.string().optional(),
});
export type GateConditionResult = z.infer<typeof gateConditionResultSchema>;

export const sliceResultSchema = z.object({
  metric: caseMetricSchema,
  by: sliceBySchema,
  key: z.string(),
  /** Means over the paired cases of the slice. */
  candidate: nullableNumber,
  production: nullableNumber,
  /** production − candidate; positive is a regression. */
  regression: nullableNumber,
  maxRegression: z.number(),
  cases: z.number().int(),
  skipped: z.boolean(),
  passed: z.boolean(),
  note: z.string().optional(),
});
export type SliceResult = z.infer<typeof sliceResultSchema>;

export const intervalResultSchema = z.object({
  metric: caseMetricSchema,
  lower: nullableNumber,
  upper: nullableNumber,
  mean: nullableNumber,
  confidence: z.number(),
  minLowerBound: z.number(),
  cases: z.number().int(),
  passed: z.boolean(),
  note: z.string().optional(),
});
export type IntervalResult = z.infer<typeof intervalResultSchema>;

/**
 * Whether the suite's cases are conversations the candidate was trained on (the train side of
 * its training job's data): compared by the hash of each row's whole conversation. Any overlap
 * fails the gate, since a model scored on its own training rows measures memory, not skill.
 */
export const leakageCheckSchema = z.object({
  suiteDatasetVersionId: z.string(),
  /** The suite's split of its dataset version ("eval" or "all", lib/schemas/evals.ts). */
  suiteSplit: z.string(),
  /** The training job's dataset version; null for a version registered without a job. */
  trainingDatasetVersionId: z.string().nullable(),
  /** Cases in the suite; null when the check could not be made. */
  suiteCases: z.number().int().nullable(),
  /** Suite cases found on the training side; null when the check could not be made. */
  overlapping: z.number().int().nullable(),
  /** Why the check could not be made, when it could not. */
  note: z.string().optional(),
});
export type LeakageCheck = z.infer<typeof leakageCheckSchema>;

/** The evidence stored with each gate decision and returned as a model version's `gate`. */
export const gateEvaluationSchema = z.object({
  status: gateStatusSchema,
  conditions: z.array(gateConditionResultSchema),
  slices: z.array(sliceResultSchema),
  intervals: z.array(intervalResultSchema),
  caseCount: z.number().int(),
  minCases: z.number().int(),
  enoughCases: z.boolean(),
  /** One sentence per failing check, e.g. "tool_call_accuracy 0.62 < 0.70". */
  failures: z.array(z.string()),
  /** The suite/training-data overlap check; absent in decisions stored before it existed. */
  leakage: leakageCheckSchema.nullable().optional(),
});
export type GateEvaluation = z.infer<typeof gateEvaluationSchema>;
