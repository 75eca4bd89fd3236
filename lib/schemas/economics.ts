import { z } from "zod";

/**
 * Hybrid economics (issue #17): prices, the "should we fine-tune?" planner, the advisor and the
 * routing calibration. Every shape the pure maths in lib/domain/economics takes or returns is
 * declared here, so the API, the console and the maths cannot drift apart.
 */

const usdSchema = z.number().finite().min(0);
const shareSchema = z.number().finite().min(0).max(1);
const countSchema = z.number().finite().min(0);

/** "YYYY-MM-DD": list prices change, so every price says on which day it was read. */
export const asOfSchema = z.iso.date();

// ---------------------------------------------------------------------------------------------
// Prices

/** A frontier API's list price, per million tokens, as the provider publishes it. */
export const frontierPriceSchema = z.strictObject({
  kind: z.literal("frontier"),
  id: z.string().trim().min(1).max(100),
  provider: z.string().trim().min(1).max(100),
  model: z.string().trim().min(1).max(200),
  inputUsdPerMTok: usdSchema,
  outputUsdPerMTok: usdSchema,
  asOf: asOfSchema,
  /** Where the figure comes from, and how sure it is (a figure not re-verified says so here). */
  source: z.string().trim().min(1).max(1000),
});
export type FrontierPrice = z.infer<typeof frontierPriceSchema>;

/**
 * "measured": from the team's own load test (vLLM's benchmark_serving "Total Token throughput")
 * or production telemetry; "configured": a number someone typed in, an assumption until measured.
 */
export const THROUGHPUT_BASES = ["measured", "configured"] as const;
export const throughputBasisSchema = z.enum(THROUGHPUT_BASES);

/**
 * Self-hosted serving of the small model: what a replica costs an hour and how many calls it can
 * take. Replicas are billed whether or not they are busy, so `replicas` is the floor kept running
 * (0 = scales to zero); traffic beyond their capacity adds replica-hours in proportion.
 */
export const servingPriceSchema = z.strictObject({
  kind: z.literal("self_hosted"),
  id: z.string().trim().min(1).max(100),
  label: z.string().trim().min(1).max(200),
  gpuType: z.string().trim().min(1).max(100),
  /** Price of one GPU for one hour. */
  usdPerGpuHour: usdSchema,
  /** A 70B model may need 2–8 GPUs per replica; an 8B model one. */
  gpusPerReplica: z.number().int().min(1).max(64).default(1),
  /** Replicas kept running at all times: the fixed floor of the serving bill. */
  replicas: z.number().int().min(0).max(10_000).default(1),
  /**
   * Tokens (input + output) per second one replica sustains over concurrent requests. Agent calls
   * are prompt-heavy, so the total matters, not only generated tokens.
   */
  throughputTokensPerSec: z.number().finite().positive(),
  throughputBasis: throughputBasisSchema,
  /**
   * Average load as a share of capacity. Traffic has peaks and a replica run near saturation
   * queues requests, so the capacity actually sold is below 1; 0.5 is a common planning value.
   */
  utilisation: z.number().finite().gt(0).max(1).default(0.5),
  asOf: asOfSchema,
  source: z.string().trim().min(1).max(1000),
});
export type ServingPrice = z.infer<typeof servingPriceSchema>;

export const priceEntrySchema = z.discriminatedUnion("kind", [
  frontierPriceSchema,
  servingPriceSchema,
]);
export type PriceEntry = z.infer<typeof priceEntrySchema>;

export const priceListSchema = z.array(priceEntrySchema).max(500);
export type PriceList = z.infer<typeof priceListSchema>;

export const tokensSchema = z.strictObject({ input: countSchema, output: countSchema });
export type Tokens = z.infer<typeof tokensSchema>;

// ---------------------------------------------------------------------------------------------
// Planner

/** How often the small model is re-tuned; "never" is an anti-pattern the advisor warns about. */
export const RETUNE_CADENCES = ["monthly", "quarterly", "semiannual", "annual", "never"] as const;
export const retuneCadenceSchema = z.enum(RETUNE_CADENCES);
export type RetuneCadence = z.infer<typeof retuneCadenceSchema>;

export const retuneSchema = z.strictObject({
  cadence: retuneCadenceSchema,
  /** Compute of one re-tune (training runs, including failed tries). */
  trainingUsdPerTune: usdSchema,
  /** Eval spend of one re-tune: the suite run on the candidate and on the frontier endpoint. */
  evalUsdPerTune: usdSchema,
  /** Engineer time per re-tune (curating traces, reviewing evals), priced at the project's rate. */
  engineerWeeksPerTune: countSchema.default(0),
});
export type Retune = z.infer<typeof retuneSchema>;

/** The one-time project: engineers × weeks × loaded cost, plus the first tune's compute. */
export const projectEffortSchema = z.strictObject({
  engineers: countSchema,
  weeks: countSchema,
  /** Salary, benefits and overhead for one engineer-week. */
  loadedUsdPerEngineerWeek: usdSchema,
  computeUsd: usdSchema,
});
export type ProjectEffort = z.infer<typeof projectEffortSchema>;

export const plannerInputSchema = z.strictObject({
  invocationsPerMonth: countSchema,
  /** Average tokens of one agent call (the same on the small model and on the frontier). */
  tokensPerCall: tokensSchema,
  /** Share of calls the small model keeps; the rest escalate to the frontier. */
  routineShare: shareSchema,
  /**
   * Tokens of an escalated call relative to an average call: hard cases are often longer (> 1);
   * a shorter or cached escalation prompt makes it < 1. Applies to the frontier bill only.
   */
  escalatedTokenFactor: z.number().finite().min(0).max(100).default(1),
  /**
   * Share of escalated calls the small model had already answered before escalating: 1 for
   * confidence-based routing (the small model's answer is what is judged), 0 for a router that
   * decides before any model runs.
   */
  smallAttemptOnEscalated: shareSchema.default(1),
  frontier: frontierPriceSchema,
  serving: servingPriceSchema,
  retune: retuneSchema,
  project: projectEffortSchema,
  /** Months over which the one-time project must pay for itself ("end to end"). */
  horizonMonths: z.number().finite().positive().max(120).default(12),
});
export type PlannerInput = z.infer<typeof plannerInputSchema>;
export type PlannerInputBody = z.input<typeof plannerInputSchema>;

export const frontierCostSchema = z.strictObject({
  usd: usdSchema,
  pricesUsed: z.array(priceEntrySchema),
});
export type FrontierCost = z.infer<typeof frontierCostSchema>;

export const selfHostedCallCostSchema = z.strictObject({
  usd: usdSchema,
  /** Calls one replica serves in an hour at the configured utilisation; null for a call of no tokens. */
  callsPerReplicaHour: countSchema.nullable(),
  pricesUsed: z.array(priceEntrySchema),
});
export type SelfHostedCallCost = z.infer<typeof selfHostedCallCostSchema>;

export const servingMonthlySchema = z.strictObject({
  /** max(floorUsd, proportionalUsd): replicas run whether or not they are used. */
  usd: usdSchema,
  floorUsd: usdSchema,
  proportionalUsd: usdSchema,
  /** Replicas busy on average at the configured utilisation (not rounded: autoscaled hours). */
  averageReplicas: countSchema,
  pricesUsed: z.array(priceEntrySchema),
});
export type ServingMonthly = z.infer<typeof servingMonthlySchema>;

export const hybridMonthlySchema = z.strictObject({
  smallCalls: countSchema,
  escalatedCalls: countSchema,
  servingUsd: usdSchema,
  servingFloorUsd: usdSchema,
  frontierUsd: usdSchema,
  /** Serving + frontier API: the monthly run bill. */
  runningUsd: usdSchema,
  /** Training + eval (+ engineer time) per re-tune ÷ months between re-tunes. */
  retuneUsd: usdSchema,
  /** runningUsd + retuneUsd. */
  totalUsd: usdSchema,
  pricesUsed: z.array(priceEntrySchema),
});
export type HybridMonthly = z.infer<typeof hybridMonthlySchema>;

export const oneTimeCostSchema = z.strictObject({
  engineeringUsd: usdSchema,
  computeUsd: usdSchema,
  totalUsd: usdSchema,
});
export type OneTimeCost = z.infer<typeof oneTimeCostSchema>;

export const sensitivityPointSchema = z.strictObject({
  /** Routine share (0–1) or invocations per month, depending on the series. */
  x: z.number().finite(),
  frontierOnlyUsd: usdSchema,
  /** Recurring monthly cost of the hybrid (running + re-tunes). */
  hybridUsd: usdSchema,
  /** hybridUsd + the one-time cost spread over the horizon. */
  hybridEndToEndUsd: usdSchema,
});
export type SensitivityPoint = z.infer<typeof sensitivityPointSchema>;

export const breakEvenSchema = z.strictObject({
  /** Invocations per month from which the hybrid's recurring cost is at most frontier-only's. */
  recurringInvocationsPerMonth: countSchema.nullable(),
  /** Same, with the one-time cost spread over the horizon: payback within horizonMonths. */
  endToEndInvocationsPerMonth: countSchema.nullable(),
});
export type BreakEven = z.infer<typeof breakEvenSchema>;

export const plannerResultSchema = z.strictObject({
  perCall: z.strictObject({
    frontierUsd: usdSchema,
    escalatedFrontierUsd: usdSchema,
    smallUsd: usdSchema,
  }),
  monthly: z.strictObject({
    frontierOnlyUsd: usdSchema,
    hybrid: hybridMonthlySchema,
    /** frontierOnlyUsd − hybrid.totalUsd; negative when the hybrid costs more. */
    savingsUsd: z.number().finite(),
  }),
  oneTime: oneTimeCostSchema,
  /** oneTime.totalUsd ÷ monthly savings; null when the hybrid saves nothing. */
  paybackMonths: z.number().finite().min(0).nullable(),
  horizonMonths: z.number().finite().positive(),
  breakEven: breakEvenSchema,
  sensitivity: z.strictObject({
    byRoutineShare: z.array(sensitivityPointSchema),
    byVolume: z.array(sensitivityPointSchema),
  }),
  pricesUsed: z.array(priceEntrySchema),
});
export type PlannerResult = z.infer<typeof plannerResultSchema>;

// ---------------------------------------------------------------------------------------------
// Presets

const rangeSchema = z.strictObject({ min: countSchema, max: countSchema });

export const PROJECT_SHAPE_IDS = [
  "tool_call_format",
  "domain_reasoning",
  "latency_critical",
  "hybrid_system",
  "multi_tenant",
] as const;
export const projectShapeIdSchema = z.enum(PROJECT_SHAPE_IDS);
export type ProjectShapeId = z.infer<typeof projectShapeIdSchema>;

export const projectShapeSchema = z.strictObject({
  id: projectShapeIdSchema,
  label: z.string(),
  /** What the shape's training set looks like, e.g. "3–5K examples". */
  examples: z.string(),
  engineers: rangeSchema,
  computeUsd: rangeSchema,
  weeks: rangeSchema,
});
export type ProjectShape = z.infer<typeof projectShapeSchema>;

export const EFFORT_POINTS = ["low", "mid", "high"] as const;
export const effortPointSchema = z.enum(EFFORT_POINTS);
export type EffortPoint = z.infer<typeof effortPointSchema>;

/** The seed's worked case, explained against list prices (numbers and the sentences that say them). */
export const workedCaseExplanationSchema = z.strictObject({
  invocationsPerMonth: countSchema,
  tokensPerCall: tokensSchema,
  frontierOnly: z.strictObject({
    perCallUsd: usdSchema,
    monthlyUsd: usdSchema,
    reportedUsd: usdSchema,
    /** Output tokens per call that, with the stated input tokens, hit the reported figure exactly. */
    exactOutputTokens: countSchema,
  }),
  hybridAtReportedShare: z.strictObject({
    routineShare: shareSchema,
    servingUsd: usdSchema,
    frontierUsd: usdSchema,
    runningUsd: usdSchema,
    reportedUsd: usdSchema,
  }),
  /** Routine share at which the monthly run bill (serving + frontier) equals the reported hybrid. */
  routineShareFor: z.strictObject({
    freeSmallModel: shareSchema.nullable(),
    servingAtFloor: shareSchema.nullable(),
    modelledServing: shareSchema.nullable(),
  }),
  /** At the reported routine share: what an escalated call may cost for the reported hybrid. */
  escalationAtReportedShare: z.strictObject({
    maxUsdPerEscalatedCall: z.number().finite().nullable(),
    /** The same as a share of an average call's frontier cost. */
    maxCostFactor: z.number().finite().nullable(),
  }),
  sentences: z.array(z.string()),
  pricesUsed: z.array(priceEntrySchema),
});
export type WorkedCaseExplanation = z.infer<typeof workedCaseExplanationSchema>;

// ---------------------------------------------------------------------------------------------
// Advisor

/** The seed's decision table, one id per row. */
export const SITUATION_IDS = [
  "frequent_tool_calls",
  "narrow_domain",
  "high_volume_cost_sensitive",
  "complex_planning",
  "in_production_6_months",
  "latency_critical",
  "many_tools",
  "structured_output",
  "creative_output",
  "compliance_sensitive",
  "narrow_task_high_accuracy",
  "exploring",
] as const;
export const situationIdSchema = z.enum(SITUATION_IDS);
export type SituationId = z.infer<typeof situationIdSchema>;

/**
 * fine_tune: fine-tune (a small model for) the named components; hybrid: fine-tuned small model
 * for routine calls, frontier for the rest; frontier_only: keep it on a frontier model;
 * frontier_first: start on a frontier model, revisit once product fit is clear.
 */
export const ADVISOR_APPROACHES = [
  "fine_tune",
  "hybrid",
  "frontier_only",
  "frontier_first",
] as const;
export const advisorApproachSchema = z.enum(ADVISOR_APPROACHES);
export type AdvisorApproach = z.infer<typeof advisorApproachSchema>;

/** What a team plans to fine-tune; orchestration and the whole agent are the anti-patterns. */
export const FINE_TUNE_TARGETS = [
  "tool_call_format",
  "tool_selection",
  "output_format",
  "domain_reasoning",
  "refusal_behaviour",
  "narrow_task",
  "orchestration",
  "whole_agent",
] as const;
export const fineTuneTargetSchema = z.enum(FINE_TUNE_TARGETS);
export type FineTuneTarget = z.infer<typeof fineTuneTargetSchema>;

export const TRAINING_DATA_SOURCES = [
  "production_traces",
  "synthetic",
  "mixed",
  "none_yet",
] as const;
export const CURRENT_SETUPS = ["frontier_only", "self_hosted", "hybrid", "none"] as const;

export const advisorInputSchema = z.strictObject({
  situations: z.array(situationIdSchema).max(SITUATION_IDS.length).default([]),
  plan: z
    .strictObject({
      targets: z.array(fineTuneTargetSchema).max(FINE_TUNE_TARGETS.length).default([]),
      trainingData: z.enum(TRAINING_DATA_SOURCES).optional(),
      /** Unknown (absent) is not a warning; an explicit false is. */
      hasEvalHarness: z.boolean().optional(),
      retuneCadence: retuneCadenceSchema.optional(),
      currentSetup: z.enum(CURRENT_SETUPS).optional(),
    })
    .default({ targets: [] }),
  /** From the planner, when the team ran it: lets the volume argument come from the numbers. */
  economics: z
    .strictObject({
      invocationsPerMonth: countSchema,
      breakEvenInvocationsPerMonth: countSchema.nullable(),
    })
    .optional(),
});
export type AdvisorInput = z.infer<typeof advisorInputSchema>;
export type AdvisorInputBody = z.input<typeof advisorInputSchema>;

export const ANTI_PATTERN_IDS = [
  "fine_tuning_orchestration",
  "fine_tuning_end_to_end",
  "frontier_for_everything",
  "synthetic_traces",
  "no_eval_harness",
  "one_time_investment",
] as const;
export const antiPatternIdSchema = z.enum(ANTI_PATTERN_IDS);
export type AntiPatternId = z.infer<typeof antiPatternIdSchema>;

export const adviceSchema = z.strictObject({
  approach: advisorApproachSchema,
  headline: z.string(),
  /** One row per checked situation, from the decision table. */
  reasons: z.array(
    z.strictObject({
      situation: situationIdSchema,
      label: z.string(),
      approach: advisorApproachSchema,
      recommendation: z.string(),
      reason: z.string(),
    }),
  ),
  /** Components worth fine-tuning, in words. */
  fineTune: z.array(z.string()),
  /** What stays on the frontier model, in words. */
  keepOnFrontier: z.array(z.string()),
  notes: z.array(z.string()),
  warnings: z.array(
    z.strictObject({
      antiPattern: antiPatternIdSchema,
      severity: z.enum(["warning", "info"]),
      title: z.string(),
      message: z.string(),
    }),
  ),
});
export type Advice = z.infer<typeof adviceSchema>;

// ---------------------------------------------------------------------------------------------
// Routing calibration

/** Which confidence signal of the small model's output a rule thresholds. */
export const CONFIDENCE_SIGNALS = ["mean_logprob", "min_logprob"] as const;
export const confidenceSignalSchema = z.enum(CONFIDENCE_SIGNALS);
export type ConfidenceSignal = z.infer<typeof confidenceSignalSchema>;

/**
 * One eval case seen by both the candidate (small model) and the frontier endpoint. Correctness
 * is 1/0 for pass/fail, or a score in [0, 1]. Log-probabilities are of the candidate's generated
 * tokens (≤ 0); null when the generator returned none.
 */
export const calibrationCaseSchema = z.strictObject({
  id: z.string().max(200).optional(),
  candidateCorrect: shareSchema,
  frontierCorrect: shareSchema,
  meanLogprob: z.number().finite().nullable(),
  minLogprob: z.number().finite().nullable(),
  /** The candidate's output parsed, matched its schema, and named a tool that exists. */
  valid: z.boolean(),
  candidateCostUsd: usdSchema,
  frontierCostUsd: usdSchema,
});
export type CalibrationCase = z.infer<typeof calibrationCaseSchema>;

/**
 * A confidence threshold τ: keep the small model's answer when confidence ≥ τ. JSON has no
 * infinities, so the two ends are words: "-inf" keeps every valid answer (even without
 * log-probabilities), "+inf" escalates every call.
 */
export const thresholdSchema = z.union([z.number().finite(), z.literal("-inf"), z.literal("+inf")]);
export type Threshold = z.infer<typeof thresholdSchema>;

/** The exported escalation rule: escalate when invalid, or when confidence < minConfidence. */
export const routingRuleSchema = z.strictObject({
  escalateWhenInvalid: z.boolean(),
  minConfidence: thresholdSchema,
  signal: confidenceSignalSchema,
});
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const routingOutcomeSchema = z.strictObject({
  cases: z.number().int().min(0),
  kept: z.number().int().min(0),
  escalated: z.number().int().min(0),
  keptShare: shareSchema,
  /** Small model's correctness on kept cases, frontier's on escalated ones, over all cases. */
  hybridAccuracy: shareSchema,
  /** kept × candidate cost + escalated × (frontier + candidate cost already spent), per 1,000. */
  costPer1kUsd: usdSchema,
});
export type RoutingOutcome = z.infer<typeof routingOutcomeSchema>;

export const routingPointSchema = routingOutcomeSchema.extend({ minConfidence: thresholdSchema });
export type RoutingPoint = z.infer<typeof routingPointSchema>;

export const routingCurveSchema = z.strictObject({
  signal: confidenceSignalSchema,
  escalateWhenInvalid: z.boolean(),
  /** Accuracy points the hybrid may lose against frontier-only (0.01 = one point). */
  margin: shareSchema,
  frontierOnly: z.strictObject({ accuracy: shareSchema, costPer1kUsd: usdSchema }),
  candidateOnly: z.strictObject({ accuracy: shareSchema, costPer1kUsd: usdSchema }),
  /** Ascending τ: "-inf", the observed quantiles, "+inf". */
  points: z.array(routingPointSchema),
  /** Index in points of the cheapest τ within the margin; null when none is (no cases). */
  chosenIndex: z.number().int().min(0).nullable(),
  chosenRule: routingRuleSchema.nullable(),
  /** Whether the chosen point costs less than sending every call to the frontier. */
  chosenBeatsFrontierOnly: z.boolean(),
});
export type RoutingCurve = z.infer<typeof routingCurveSchema>;

export const sweepOptionsSchema = z.strictObject({
  signal: confidenceSignalSchema.default("mean_logprob"),
  margin: shareSchema.default(0.01),
  /** Quantiles of the observed confidences tried as τ (plus the two ends). */
  quantiles: z.number().int().min(1).max(1000).default(100),
  escalateWhenInvalid: z.boolean().default(true),
});
export type SweepOptions = z.input<typeof sweepOptionsSchema>;
