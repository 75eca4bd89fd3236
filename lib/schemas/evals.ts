import { z } from "zod";
import { findBaseModel } from "@/lib/domain/base-models";
import { isoDateSchema } from "./common";
import { searchTextSchema } from "./search";
import { sliceBySchema } from "./gates";
import {
  caseExpectedSchema,
  caseOutputSchema,
  caseScoresSchema,
  DEFAULT_SCORERS,
  DEFAULT_SCORING_PROFILE,
  scoringProfileSchema,
  runMetricsSchema,
  scorerSchema,
  tokenPricesSchema,
} from "./eval-metrics";

/** API shapes of eval suites and eval runs (issue #5). */

/**
 * Which assistant turns of a row become cases: "first" (its first tool-calling turn, else its
 * last assistant turn: one case per row) or "all" (every assistant turn, each with the gold
 * conversation before it, tool results included: teacher forcing).
 */
export const suiteTurnsSchema = z
  .enum(["first", "all"])
  .describe(
    "first: one case per row (its first tool-calling assistant turn); all: every assistant turn, with the gold history before it",
  );
export type SuiteTurns = z.infer<typeof suiteTurnsSchema>;

export const createEvalSuiteBodySchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\w .:/()-]+$/, "letters, digits, spaces and . _ - : / ( ) only"),
  datasetVersionId: z.string().min(1),
  split: z.enum(["eval", "all"]).default("eval"),
  scorers: z
    .array(scorerSchema)
    .min(1)
    .default([...DEFAULT_SCORERS]),
  scoringProfile: scoringProfileSchema
    .default(DEFAULT_SCORING_PROFILE)
    .describe(
      "how tool calls are judged: retune (default; BFCL's rules plus documented differences) or bfcl (parity with BFCL's AST checker)",
    ),
  turns: suiteTurnsSchema.default("first"),
});
export type CreateEvalSuiteBody = z.input<typeof createEvalSuiteBodySchema>;

export const evalSuiteSchema = z.object({
  id: z.string(),
  name: z.string(),
  datasetVersionId: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number().int(),
  split: z.enum(["eval", "all"]),
  scorers: z.array(scorerSchema),
  scoringProfile: scoringProfileSchema,
  turns: suiteTurnsSchema,
  createdAt: isoDateSchema,
});
export type EvalSuite = z.infer<typeof evalSuiteSchema>;

export const evalSuiteListSchema = z.object({ suites: z.array(evalSuiteSchema) });

/**
 * An OpenAI-compatible chat-completions endpoint: vLLM serving an adapter (the adapter chosen
 * by `model`), or a frontier API as the hybrid baseline. The API key is never sent here: it is
 * the name of an encrypted team secret (PUT /api/v1/secrets/{name}).
 */
export const endpointTargetSchema = z.object({
  url: z
    .url({ protocol: /^https?$/ })
    .describe("base URL, e.g. http://vllm:8000/v1 (…/chat/completions is appended)"),
  model: z.string().min(1).max(200),
  apiKeySecret: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/)
    .optional(),
  prices: tokenPricesSchema.optional(),
  maxConcurrency: z.number().int().min(1).max(64).default(4),
});
export type EndpointTarget = z.infer<typeof endpointTargetSchema>;

export const evalTargetSchema = z.union([
  z.object({ modelVersionId: z.string().min(1) }).strict(),
  z
    .object({
      baseModel: z
        .string()
        .refine((id) => findBaseModel(id) !== undefined, "not in the base-model catalogue"),
    })
    .strict(),
  z.object({ endpoint: endpointTargetSchema }).strict(),
]);
export type EvalTarget = z.infer<typeof evalTargetSchema>;

export const createEvalRunBodySchema = z.strictObject({
  suiteId: z.string().min(1),
  target: evalTargetSchema,
  /** Re-run even when a finished run of the same suite, data and target exists. */
  force: z.boolean().default(false),
});
export type CreateEvalRunBody = z.infer<typeof createEvalRunBodySchema>;

export const EVAL_TARGET_KINDS = ["MODEL_VERSION", "BASE_MODEL", "PRODUCTION", "ENDPOINT"] as const;
export const evalTargetKindSchema = z.enum(EVAL_TARGET_KINDS);
export const EVAL_RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export const evalRunStatusSchema = z.enum(EVAL_RUN_STATUSES);

/** What a run evaluated, for display: kind plus the identifying fields of that kind. */
export const evalTargetViewSchema = z.object({
  kind: evalTargetKindSchema,
  label: z.string(),
  modelVersionId: z.string().nullable(),
  baseModel: z.string().nullable(),
  endpoint: z.object({ url: z.string(), model: z.string() }).nullable(),
});
export type EvalTargetView = z.infer<typeof evalTargetViewSchema>;

/**
 * A run's case-metric means per slice value, by what the slices are keyed on: the expected tool,
 * the row's intent and category, and in an every-turn suite the turn ("1", "2", …), so per-turn
 * and per-category scores are read without a gate. Absent for runs scored before slices were
 * stored, and for keys no case has.
 */
export const runSlicesSchema = z.partialRecord(
  sliceBySchema,
  z.record(z.string(), z.object({ cases: z.number().int(), metrics: runMetricsSchema })),
);
export type RunSlices = z.infer<typeof runSlicesSchema>;

export const evalRunSchema = z.object({
  id: z.string(),
  suiteId: z.string(),
  suiteName: z.string(),
  /** The suite's scoring profile and turns, which the run's numbers depend on. */
  scoringProfile: scoringProfileSchema,
  turns: suiteTurnsSchema,
  status: evalRunStatusSchema,
  target: evalTargetViewSchema,
  metrics: runMetricsSchema,
  slices: runSlicesSchema,
  caseCount: z.number().int(),
  casesDone: z.number().int(),
  progress: z.number().min(0).max(1),
  error: z.string().nullable(),
  /** Set when this run's results were reused from an earlier identical run. */
  reusedFrom: z.string().nullable().optional(),
  createdAt: isoDateSchema,
  startedAt: isoDateSchema.nullable(),
  finishedAt: isoDateSchema.nullable(),
});
export type EvalRun = z.infer<typeof evalRunSchema>;

export const evalRunListSchema = z.object({ runs: z.array(evalRunSchema) });

export const evalCasesQuerySchema = z.object({
  failed: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
  after: z.coerce.number().int().min(-1).default(-1),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const evalCaseSchema = z.object({
  index: z.number().int(),
  passed: z.boolean(),
  /** The prompt: the conversation up to the reference assistant turn, and the tools offered. */
  input: z.object({ messages: z.array(z.unknown()), tools: z.array(z.unknown()) }),
  expected: caseExpectedSchema,
  output: caseOutputSchema,
  scores: caseScoresSchema,
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

export const evalCasesPageSchema = z.object({
  cases: z.array(evalCaseSchema),
  nextAfter: z.number().int().nullable(),
});

/** GET /eval-runs: newest first, optionally one suite's or one model version's runs. */
export const evalRunListQuerySchema = z.object({
  suiteId: z.string().min(1).optional(),
  modelVersionId: z.string().min(1).optional(),
  /** A substring of the target's label or the suite's name (any case). */
  q: searchTextSchema,
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EvalRunListQuery = z.infer<typeof evalRunListQuerySchema>;
