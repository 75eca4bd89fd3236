/** The dataset-validation rules: pure, synchronous, no I/O. See validate-example.ts to start. */
export type { ChatMessage, NormalizedExample, Role, ToolCall, ToolDef } from "./types";
export { detectFormat } from "./detect-format";
export { validateExample, type ExampleContext, type ExampleResult } from "./validate-example";
export { convertShareGpt, assignToolCallIds } from "./sharegpt";
export {
  canonicalJson,
  evalBuckets,
  exampleHash,
  hashString,
  normalizedExampleHash,
  splitOf,
} from "./example-hash";
export { DatasetStatsAccumulator, datasetFindings, type FinalizeOptions } from "./stats";
export { DuplicateTracker, duplicateFinding } from "./duplicates";
export { FindingsCollector } from "./findings-collector";
export { luhnValid } from "./luhn";
export { findCard, findEmail, findPhone, type PiiMatch } from "./pii";
