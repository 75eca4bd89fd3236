/** Evaluation scorers: pure functions from a case's expectation and a target's output to metrics. */
export { checkArguments, sameValue } from "./arguments";
export { aggregateRun, meanCaseMetrics, sliceMetrics, type AggregateOptions } from "./aggregate";
export { expectedFromRow, NO_CALL_SLICE, type EvalCase } from "./eval-row";
export { scoreJsonValidity } from "./json-validity";
export { collapseWhitespace, standardizeString } from "./normalize";
export type { Outcome } from "./outcome";
export { computeRunMetrics, nearestRank } from "./run-metrics";
export { scoreCase, type ScoreCaseInput } from "./score-case";
export { scoreSchemaValidity, type ValidateArgs } from "./schema-validity";
export { scoreContainsMatch, scoreExactMatch } from "./text-match";
export { checkCall, scoreToolCalls, type ToolCallOutcomes } from "./tool-calls";
