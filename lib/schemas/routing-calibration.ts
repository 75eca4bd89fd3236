import { z } from "zod";
import { isoDateSchema } from "./common";
import {
  confidenceSignalSchema,
  priceEntrySchema,
  routingCurveSchema,
  routingPointSchema,
  routingRuleSchema,
} from "./economics";
import { caseMetricSchema } from "./eval-metrics";

/**
 * Routing calibration of a model version (issue #17): a candidate run and a frontier run of the
 * same suite, turned case by case into lib/domain/economics/routing.ts `CalibrationCase`s and
 * swept over the escalation threshold τ. The maths' own shapes (curve, rule, point) live in
 * ./economics.ts; this file holds the API's.
 */

const priceIdSchema = z.string().trim().min(1).max(100);

/** POST /api/v1/model-versions/{id}/routing-calibration */
export const routingCalibrationBodySchema = z.strictObject({
  /** A SUCCEEDED run of this version (its target is the version) on the suite. */
  candidateRunId: z.string().min(1).max(64),
  /** A SUCCEEDED run of the same suite on the frontier model (usually an endpoint target). */
  frontierRunId: z.string().min(1).max(64),
  signal: confidenceSignalSchema.default("mean_logprob"),
  /** Accuracy the hybrid may lose against frontier-only (0.01 = one point). */
  margin: z.number().finite().min(0).max(1).default(0.01),
  escalateWhenInvalid: z.boolean().default(true),
  /**
   * The case metric that says whether an answer was right; default tool_call_accuracy when the
   * suite scores it, else the first case metric both runs scored.
   */
  metric: caseMetricSchema.optional(),
  /** Quantiles of the observed confidences tried as τ (plus "-inf" and "+inf"). */
  quantiles: z.number().int().min(1).max(1000).default(100),
  /**
   * A team price-list entry that prices the candidate's calls (default: the candidate run's
   * endpoint prices when it ran on an endpoint, else the list's first self-hosted entry).
   */
  candidatePriceId: priceIdSchema.optional(),
  /** A team price-list entry that prices the frontier's calls (default: its endpoint's prices). */
  frontierPriceId: priceIdSchema.optional(),
});
export type RoutingCalibrationBody = z.input<typeof routingCalibrationBodySchema>;

/**
 * How one side's calls were priced, from its tokens: an eval endpoint's own prices, or an entry
 * of the team's price list (a frontier entry per token, a self-hosted entry by the replica-hour
 * share the call's tokens take, lib/domain/economics/cost.ts selfHostedCallCost).
 */
export const callPricingSchema = z.discriminatedUnion("source", [
  z.object({
    source: z.literal("endpoint"),
    /** The eval run whose target carried the prices. */
    runId: z.string(),
    label: z.string(),
    inputUsdPerMTok: z.number().finite().min(0),
    outputUsdPerMTok: z.number().finite().min(0),
  }),
  z.object({ source: z.literal("price_list"), entry: priceEntrySchema }),
]);
export type CallPricing = z.infer<typeof callPricingSchema>;

export const routingPricesUsedSchema = z.object({
  candidate: callPricingSchema,
  frontier: callPricingSchema,
});
export type RoutingPricesUsed = z.infer<typeof routingPricesUsedSchema>;

/** What the cases were made of, so a reader can judge the curve. */
export const routingCaseStatsSchema = z.object({
  cases: z.number().int().min(0),
  /** Candidate outputs without log-probabilities: kept only at τ = "-inf". */
  withoutConfidence: z.number().int().min(0),
  /** Candidate outputs that fail the validity check (escalated when escalateWhenInvalid). */
  invalid: z.number().int().min(0),
  candidateCorrect: z.number().min(0),
  frontierCorrect: z.number().min(0),
});
export type RoutingCaseStats = z.infer<typeof routingCaseStatsSchema>;

const runRefSchema = z.object({ id: z.string(), label: z.string() });

export const routingCalibrationSchema = z.object({
  id: z.string(),
  modelVersionId: z.string(),
  suite: z.object({ id: z.string(), name: z.string() }),
  candidateRun: runRefSchema,
  frontierRun: runRefSchema,
  metric: caseMetricSchema,
  signal: confidenceSignalSchema,
  margin: z.number(),
  escalateWhenInvalid: z.boolean(),
  stats: routingCaseStatsSchema,
  pricesUsed: routingPricesUsedSchema,
  curve: routingCurveSchema,
  /** The curve's chosen point (cheapest τ within the margin), null when none is. */
  chosen: routingPointSchema.nullable(),
  rule: routingRuleSchema.nullable(),
  /** The rule in one sentence (lib/domain/economics/rule-snippets.ts describeRule). */
  ruleDescription: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type RoutingCalibration = z.infer<typeof routingCalibrationSchema>;

/** GET …/routing-calibration: the newest calibration of the version, or null. */
export const latestRoutingCalibrationSchema = z.object({
  calibration: routingCalibrationSchema.nullable(),
});
export type LatestRoutingCalibration = z.infer<typeof latestRoutingCalibrationSchema>;

export const RULE_FORMATS = ["json", "typescript", "python"] as const;
export const ruleFormatSchema = z.enum(RULE_FORMATS);
export type RuleFormat = z.infer<typeof ruleFormatSchema>;

export const ruleQuerySchema = z.object({ format: ruleFormatSchema.default("json") });

/** GET …/routing-calibration/rule: the chosen rule as JSON, with the drop-in snippets. */
export const routingRuleExportSchema = z.object({
  calibrationId: z.string(),
  rule: routingRuleSchema,
  description: z.string(),
  /** What the curve claims for the rule on the calibration's cases. */
  expected: routingPointSchema,
  frontierOnly: z.object({ accuracy: z.number(), costPer1kUsd: z.number() }),
  snippets: z.object({ typescript: z.string(), python: z.string() }),
});
export type RoutingRuleExport = z.infer<typeof routingRuleExportSchema>;
