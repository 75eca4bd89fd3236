import { z } from "zod";

/**
 * The evaluation contract shared by scorers (lib/domain/scoring), gates (lib/domain/gate),
 * the evaluation worker and the API. Metric names are part of the public API (issue #5).
 */

/** Metrics scored per case as 0 or 1; a run's value is the mean over the cases scored. */
export const CASE_METRICS = [
  "tool_call_accuracy",
  "tool_name_accuracy",
  "json_validity",
  "schema_validity",
  "exact_match",
  "contains_match",
] as const;

/** Metrics computed over the whole run. */
export const RUN_METRICS = [
  "latency_p50_ms",
  "latency_p95_ms",
  "prompt_tokens_per_call",
  "completion_tokens_per_call",
  "cost_per_1k_usd",
] as const;

/**
 * Metrics over the conversations of a multi-turn ("all" turns) suite, whose cases are the
 * assistant turns of each row. conversation_success: the share of conversations all of whose
 * turns were right (lib/domain/scoring/aggregate.ts `conversationSuccess` defines "right").
 */
export const CONVERSATION_METRICS = ["conversation_success"] as const;

export const METRIC_NAMES = [...CASE_METRICS, ...CONVERSATION_METRICS, ...RUN_METRICS] as const;
export const metricNameSchema = z.enum(METRIC_NAMES);
export type MetricName = z.infer<typeof metricNameSchema>;
export const caseMetricSchema = z.enum(CASE_METRICS);
export type CaseMetric = z.infer<typeof caseMetricSchema>;

/** Higher is better for accuracies and success rates; lower is better for latency, tokens and cost. */
export function higherIsBetter(metric: MetricName): boolean {
  return (
    (CASE_METRICS as readonly string[]).includes(metric) ||
    (CONVERSATION_METRICS as readonly string[]).includes(metric)
  );
}

/** A run's metrics: only those its scorers produced are present. */
export const runMetricsSchema = z.partialRecord(metricNameSchema, z.number());
export type RunMetrics = z.infer<typeof runMetricsSchema>;

/** A tool call as produced by a model or expected by a case: arguments already parsed. */
export const toolCallSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/**
 * The log-probabilities of the tokens a target generated, summarised: the candidate's confidence
 * signals for routing calibration (lib/domain/economics/routing.ts). Local generation computes
 * them (trainers/generate.py); an OpenAI-compatible endpoint returns them with `logprobs: true`
 * (`choices[0].logprobs.content[].logprob`). The mean is summed left to right.
 */
export const outputLogprobsSchema = z.object({
  mean: z.number().finite(),
  min: z.number().finite(),
  tokens: z.number().int().positive(),
});
export type OutputLogprobs = z.infer<typeof outputLogprobsSchema>;

/**
 * What a target produced for one case. `toolCalls` is null when the model attempted a call
 * that does not parse (so the case fails tool scoring), [] when it answered without a call.
 * `rawToolCalls` keeps unparsed argument strings from endpoints for json_validity. `logprobs` is
 * absent when the confidence is unknown: nothing generated, an endpoint that refused or ignored
 * `logprobs` (OpenAI sends none for tool-call tokens), or a run stored before they were kept.
 */
export const caseOutputSchema = z.object({
  text: z.string(),
  toolCalls: z.array(toolCallSchema).nullable(),
  rawArguments: z.array(z.string()).optional(),
  latencyMs: z.number().nonnegative().nullable(),
  promptTokens: z.number().int().nonnegative().nullable(),
  completionTokens: z.number().int().nonnegative().nullable(),
  logprobs: outputLogprobsSchema.optional(),
  error: z.string().optional(),
});
export type CaseOutput = z.infer<typeof caseOutputSchema>;

/**
 * How tool calls are judged (issue #16). `bfcl`: parity with BFCL's AST checker (its
 * standardize_string, its type rules read on the raw argument text, integral floats refused
 * where an integer is required). `retune`: the same plus our deliberate differences (parallel
 * calls paired by maximum matching, integers accepted in float arrays, any whitespace ignored
 * in strings). Both honour acceptable sets.
 */
export const SCORING_PROFILES = ["retune", "bfcl"] as const;
export const scoringProfileSchema = z.enum(SCORING_PROFILES);
export type ScoringProfile = z.infer<typeof scoringProfileSchema>;
export const DEFAULT_SCORING_PROFILE: ScoringProfile = "retune";

/**
 * One expected call with every acceptable value per argument, in BFCL's `possible_answer`
 * shape (`{"get_weather": {"city": ["Paris", "paris, fr"], "unit": ["", "celsius"]}}` becomes
 * `{name: "get_weather", arguments: {city: [...], unit: [...]}}`). Within an argument's list:
 * `""` means the argument may be left out, `null` means null is acceptable, and a list-valued
 * argument lists each acceptable list (so alternative orders are alternatives). An argument the
 * schema declares but the entry does not list must be left out.
 */
export const acceptableCallSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.array(z.unknown())),
});
export type AcceptableCall = z.infer<typeof acceptableCallSchema>;

/**
 * What the case expects: the reference assistant turn of the eval row. `acceptable`, when the
 * row carries it (`metadata.possible_answer`, or a BFCL import), replaces `toolCalls` for
 * tool_call_accuracy: one entry per expected call. `expect` is the relevance form: "any_call"
 * passes any parseable call (BFCL's relevance category), "no_call" needs an answer without a call
 * (irrelevance); absent means "the calls given".
 */
export const caseExpectedSchema = z.object({
  text: z.string().nullable(),
  toolCalls: z.array(toolCallSchema),
  acceptable: z.array(acceptableCallSchema).optional(),
  expect: z.enum(["calls", "any_call", "no_call"]).optional(),
});
export type CaseExpected = z.infer<typeof caseExpectedSchema>;

/**
 * Slice keys of a case, for per-slice gate conditions: the expected tool ("(no call)" when the
 * reference answers in text), the row's intent when its metadata names one, its category
 * (`metadata.category`; a BFCL import's test category), and, in a multi-turn suite, which
 * assistant turn of the conversation it is ("1", "2", …; null in a first-turn suite).
 */
export const caseSliceSchema = z.object({
  tool: z.string(),
  intent: z.string().nullable(),
  category: z.string().nullable().optional(),
  turn: z.string().nullable().optional(),
});
export type CaseSlice = z.infer<typeof caseSliceSchema>;

/**
 * One scored case: each case metric that applies is 0 or 1 (absent when it does not apply,
 * e.g. schema_validity on a case without tools); `reasons` says why a case lost each point,
 * in words a person can act on ("argument 'city': expected string, got number").
 */
export const caseScoresSchema = z.object({
  scores: z.partialRecord(caseMetricSchema, z.union([z.literal(0), z.literal(1)])),
  reasons: z.partialRecord(caseMetricSchema, z.string()),
  slice: caseSliceSchema,
});
export type CaseScores = z.infer<typeof caseScoresSchema>;

/** Scorers a suite may enable; tool_call covers tool_call_accuracy and tool_name_accuracy. */
export const SCORERS = [
  "tool_call",
  "json_validity",
  "schema_validity",
  "exact_match",
  "contains_match",
  "latency",
  "cost",
] as const;
export const scorerSchema = z.enum(SCORERS);
export type Scorer = z.infer<typeof scorerSchema>;
export const DEFAULT_SCORERS: readonly Scorer[] = [
  "tool_call",
  "json_validity",
  "schema_validity",
  "exact_match",
  "latency",
  "cost",
];

/**
 * A target's token prices in USD per million tokens, for cost_per_1k_usd; a target whose
 * prices are unknown has none, and the metric is then absent.
 */
export const tokenPricesSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
});
export type TokenPrices = z.infer<typeof tokenPricesSchema>;
