import type { ToolDef } from "@/lib/domain/datasets/types";
import type {
  CaseExpected,
  CaseMetric,
  CaseOutput,
  CaseScores,
  CaseSlice,
  Scorer,
  ScoringProfile,
} from "@/lib/schemas/eval-metrics";
import { scoreJsonValidity } from "./json-validity";
import type { Outcome } from "./outcome";
import { scoreSchemaValidity, type ValidateArgs } from "./schema-validity";
import { scoreContainsMatch, scoreExactMatch } from "./text-match";
import { scoreToolCalls } from "./tool-calls";

export type ScoreCaseInput = {
  expected: CaseExpected;
  output: CaseOutput;
  /** The tool definitions the case offered the model (OpenAI format). */
  tools: readonly ToolDef[];
  slice: CaseSlice;
  /** The suite's enabled scorers; "latency" and "cost" are run-level and ignored here. */
  scorers: readonly Scorer[];
  validateArgs: ValidateArgs;
  /** The suite's scoring profile for tool calls; DEFAULT_SCORING_PROFILE ("retune") when absent. */
  profile?: ScoringProfile;
};

/**
 * Scores one case with the enabled scorers. A metric that does not apply to the case is absent.
 * tool_call_accuracy / tool_name_accuracy apply when the case offers tools, expects a call or
 * states what it expects of calls (`acceptable`, `expect`); a plain chat case without tools has
 * nothing to judge. They are judged under `profile`, with the output's raw argument text (the
 * `bfcl` profile reads integral floats from it). When the target returned an error, each lost
 * point's reason names that error, the actual cause.
 */
export function scoreCase(input: ScoreCaseInput): CaseScores {
  const { expected, output, tools, scorers } = input;
  const result: CaseScores = { scores: {}, reasons: {}, slice: input.slice };
  const put = (metric: CaseMetric, outcome: Outcome | null) => {
    if (outcome === null) return;
    result.scores[metric] = outcome.score;
    if (outcome.score === 0) {
      result.reasons[metric] =
        output.error !== undefined
          ? `the target returned an error: ${output.error}`
          : (outcome.reason ?? "failed");
    }
  };
  const judgesCalls =
    tools.length > 0 ||
    expected.toolCalls.length > 0 ||
    (expected.acceptable?.length ?? 0) > 0 ||
    expected.expect !== undefined;
  if (scorers.includes("tool_call") && judgesCalls) {
    const r = scoreToolCalls(expected, output.toolCalls, tools, {
      profile: input.profile,
      rawArguments: output.rawArguments,
    });
    put("tool_call_accuracy", r.tool_call_accuracy);
    put("tool_name_accuracy", r.tool_name_accuracy);
  }
  if (scorers.includes("json_validity")) put("json_validity", scoreJsonValidity(expected, output));
  if (scorers.includes("schema_validity")) {
    put("schema_validity", scoreSchemaValidity(expected, output, tools, input.validateArgs));
  }
  if (scorers.includes("exact_match")) put("exact_match", scoreExactMatch(expected, output));
  if (scorers.includes("contains_match")) {
    put("contains_match", scoreContainsMatch(expected, output));
  }
  return result;
}
