import { z } from "zod";
import { possibleAnswerSchema } from "@/lib/schemas/possible-answer";

/**
 * The shapes of the Berkeley Function Calling Leaderboard's published test files (gorilla
 * repository, berkeley-function-call-leaderboard/bfcl_eval/data): a question file
 * `BFCL_v4_<category>.json` and its `possible_answer/BFCL_v4_<category>.json`, both JSON lines
 * despite the extension. Only what the converter reads is required; every object is loose, so
 * the fields BFCL adds over time (`default`, `enum`, `optional`, `format`, …) pass through.
 */

/**
 * One parameter of a BFCL function doc, typed with BFCL's Python-ish names ("integer", "float",
 * "string", "boolean", "array", "tuple", "dict", "any"), nesting through `items` (list elements)
 * and `properties` (dict fields).
 */
export type BfclParam = {
  type?: string;
  description?: string;
  items?: BfclParam;
  properties?: Record<string, BfclParam>;
  [key: string]: unknown;
};

export const bfclParamSchema: z.ZodType<BfclParam> = z.lazy(() =>
  z.looseObject({
    type: z.string().optional(),
    description: z.string().optional(),
    items: bfclParamSchema.optional(),
    properties: z.record(z.string(), bfclParamSchema).optional(),
  }),
);

/** A function doc: `parameters` is BFCL's "dict" of named parameters. */
export const bfclFunctionSchema = z.looseObject({
  name: z.string().min(1, "a function needs a non-empty name"),
  description: z.string().optional(),
  parameters: z.looseObject({
    type: z.string().optional(),
    properties: z.record(z.string(), bfclParamSchema).default({}),
    required: z.array(z.string()).default([]),
  }),
});
export type BfclFunction = z.infer<typeof bfclFunctionSchema>;

/** A message of a question turn (BFCL's single-turn categories hold system and user turns). */
export const bfclMessageSchema = z.looseObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

/**
 * One line of a question file: `question` is a list of turns, each a list of messages; the
 * AST-checked categories have exactly one turn. `function` is what the model is offered.
 */
export const bfclQuestionSchema = z.looseObject({
  id: z.string().min(1),
  question: z.array(z.array(bfclMessageSchema)).min(1, "a question needs at least one turn"),
  function: z.array(bfclFunctionSchema).min(1, "a question needs at least one function"),
});
export type BfclQuestion = z.infer<typeof bfclQuestionSchema>;

/**
 * One line of a possible_answer file: `ground_truth` is one entry per expected call, each naming
 * one function with every acceptable value per argument (lib/schemas/possible-answer.ts, the
 * shape an eval row carries in `metadata.possible_answer`).
 */
export const bfclAnswerSchema = z.looseObject({
  id: z.string().min(1),
  ground_truth: possibleAnswerSchema,
});
export type BfclAnswer = z.infer<typeof bfclAnswerSchema>;

/** An OpenAI tool definition made from a BFCL function doc (openai-tools.ts). */
export const bfclToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()),
  }),
});
export type BfclTool = z.infer<typeof bfclToolSchema>;

/**
 * What a BFCL case expects beyond its reference turn: nothing for the categories BFCL checks
 * against possible answers, "any_call" for relevance (any call passes), "no_call" for
 * irrelevance (no call passes). BFCL tells them apart by the category's name.
 */
export const bfclExpectSchema = z.enum(["any_call", "no_call"]);

/**
 * One converted case, an OpenAI chat eval row (lib/domain/scoring/eval-row.ts reads it):
 * the question's messages then a reference assistant turn; the functions as tools; and in
 * `metadata` the BFCL category (a slice), the question's id, its possible answer with function
 * names as the tools spell them, the relevance form, and, when a name was changed to suit
 * OpenAI's name rules, the BFCL name of each changed tool (`bfcl_names[tool] = bfcl name`).
 */
export const bfclRowSchema = z.object({
  messages: z.array(
    z.object({
      role: z.enum(["system", "user", "assistant"]),
      content: z.string().nullable(),
      tool_calls: z
        .array(
          z.object({
            id: z.string(),
            type: z.literal("function"),
            function: z.object({ name: z.string(), arguments: z.string() }),
          }),
        )
        .optional(),
    }),
  ),
  tools: z.array(bfclToolSchema),
  metadata: z.object({
    category: z.string(),
    bfcl_id: z.string(),
    possible_answer: possibleAnswerSchema.optional(),
    expect: bfclExpectSchema.optional(),
    bfcl_names: z.record(z.string(), z.string()).optional(),
  }),
});
export type BfclRow = z.infer<typeof bfclRowSchema>;
