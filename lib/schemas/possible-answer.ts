import { z } from "zod";

/**
 * BFCL's `possible_answer` (its `ground_truth` list), as an eval row may carry it in
 * `metadata.possible_answer`: one entry per expected call, each naming exactly one function and
 * listing, per argument, every acceptable value (`""` among them: the argument may be left out).
 * `[{"get_weather": {"city": ["Paris", "paris, fr"], "unit": ["", "celsius"]}}]`.
 * lib/domain/scoring/eval-row.ts turns it into `AcceptableCall[]` (eval-metrics.ts).
 */
export const possibleAnswerSchema = z
  .array(
    z
      .record(
        z.string(),
        z.record(
          z.string(),
          z
            .array(z.unknown(), "expected a list of acceptable values")
            .min(1, "expected at least one acceptable value"),
          "expected an object of argument name → list of acceptable values",
        ),
        "expected an object naming one function",
      )
      .refine((entry) => Object.keys(entry).length === 1, {
        message: "each entry names exactly one function",
      }),
    "expected a list of expected calls",
  )
  .min(1, "expected at least one expected call");
export type PossibleAnswer = z.infer<typeof possibleAnswerSchema>;

/**
 * `metadata.expect`: the relevance form of a case. "any_call" passes any parseable call (BFCL's
 * relevance category), "no_call" needs an answer without a call (irrelevance), "calls" (the
 * default) judges the reference's calls.
 */
export const caseExpectationSchema = z.enum(["calls", "any_call", "no_call"]);
export type CaseExpectation = z.infer<typeof caseExpectationSchema>;
