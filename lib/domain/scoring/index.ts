/** Evaluation scorers: pure functions from a case's expectation and a target's output to metrics. */
export {
  checkAcceptableArguments,
  describeAcceptable,
  matchesAlternative,
  OMITTABLE,
  toAcceptable,
} from "./acceptable";
export { checkArguments, checkType, sameValue } from "./arguments";
export { aggregateRun, meanCaseMetrics, sliceMetrics, type AggregateOptions } from "./aggregate";
export { checkBfclCall } from "./bfcl-checker";
export { expectedFromRow, NO_CALL_SLICE, type EvalCase } from "./eval-row";
export { scoreJsonValidity } from "./json-validity";
export { greedyMatching, maxMatching } from "./matching";
export { bfclStandardizeString, collapseWhitespace, standardizeString } from "./normalize";
export type { Outcome } from "./outcome";
export { PROFILE_DIFFERENCES, PROFILE_SUMMARY } from "./profile";
export { IntegralFloat, parseRawArguments, showTyped, typedArguments } from "./raw-numbers";
export { computeRunMetrics, nearestRank } from "./run-metrics";
export { scoreCase, type ScoreCaseInput } from "./score-case";
export { scoreSchemaValidity, type ValidateArgs } from "./schema-validity";
export { scoreContainsMatch, scoreExactMatch } from "./text-match";
export {
  checkCall,
  scoreToolCalls,
  type ScoreToolCallsOptions,
  type ToolCallOutcomes,
} from "./tool-calls";
