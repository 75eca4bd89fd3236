import { z } from "zod";

/**
 * The training preflight (lib/server/training/preflight.ts): what the trainer will actually see,
 * checked before a GPU is rented. Examples rendered through the base model's real chat template,
 * the spans that carry the loss, whether the end-of-turn token is trained, how many examples the
 * sequence length cuts, examples shared by the train and eval sets, and findings on the rest.
 */
export const PREFLIGHT_FINDING_CODES = [
  "no_chat_template",
  "empty_dataset",
  "unreadable_rows",
  "render_failed",
  "turn_mismatch",
  "prompt_mismatch",
  "no_assistant_turns",
  "eot_not_trained",
  "truncated",
  "leakage",
  "tools_unsupported",
  "token_count_estimated",
  "scan_capped",
] as const;
export type PreflightFindingCode = (typeof PREFLIGHT_FINDING_CODES)[number];

export const preflightFindingSchema = z.object({
  severity: z.enum(["error", "warning", "info"]),
  code: z.enum(PREFLIGHT_FINDING_CODES),
  message: z.string(),
});
export type PreflightFinding = z.infer<typeof preflightFindingSchema>;

/** A UTF-16 [start, end) range of `text`: one assistant turn, the tokens that carry the loss. */
export const assistantSpanSchema = z.object({
  /** Index of the assistant message in the example's `messages`. */
  messageIndex: z.number().int().min(0),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** The template's end-of-turn token is inside the span: the model learns to stop here. */
  containsEndOfTurn: z.boolean(),
});
export type AssistantSpan = z.infer<typeof assistantSpanSchema>;

export const renderedExampleSchema = z.object({
  /** 1-based line of the training file. */
  line: z.number().int().min(1),
  /** The whole example as the trainer tokenizes it. */
  text: z.string(),
  assistantSpans: z.array(assistantSpanSchema),
  /** Tokens of `text` (estimated when `tokenCount.exact` is false). */
  tokens: z.number().int().min(0),
});
export type RenderedExample = z.infer<typeof renderedExampleSchema>;

export const preflightSchema = z.object({
  baseModel: z.string(),
  template: z.object({
    name: z.string(),
    endOfTurn: z.string(),
    supportsTools: z.boolean(),
  }),
  tokenCount: z.object({ tokenizer: z.string(), exact: z.boolean() }),
  /** Rows read from the training (and eval) file; `capped` when the scan stopped at its limit. */
  scanned: z.object({
    trainRows: z.number().int().min(0),
    evalRows: z.number().int().min(0),
    capped: z.boolean(),
  }),
  renderedExamples: z.array(renderedExampleSchema),
  /** The end-of-turn token is inside every assistant span of every rendered example. */
  eotTrained: z.boolean(),
  truncated: z.object({
    /** Examples longer than `sequenceLen` tokens: the trainer cuts their end. */
    count: z.number().int().min(0),
    /** Examples rendered and counted. */
    of: z.number().int().min(0),
    sequenceLen: z.number().int().min(1),
    /** The longest example, in tokens. */
    maxTokens: z.number().int().min(0),
    /** The first lines of the training file that are too long. */
    lines: z.array(z.number().int().min(1)),
  }),
  /**
   * Eval examples whose messages also occur in the training set. `evalLine` is a line of the
   * eval file, or of the training file when the eval set is its split.
   */
  leakage: z.object({
    count: z.number().int().min(0),
    /** The first pairs. */
    lines: z.array(
      z.object({ trainLine: z.number().int().min(1), evalLine: z.number().int().min(1) }),
    ),
  }),
  findings: z.array(preflightFindingSchema),
});
export type Preflight = z.infer<typeof preflightSchema>;
