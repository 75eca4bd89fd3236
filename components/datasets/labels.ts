import type { FindingCode, InputFormat, Provenance } from "@/lib/schemas/datasets";

export const FORMAT_LABEL: Record<InputFormat, string> = {
  chat: "Chat",
  tool_calling: "Tool calling",
  sharegpt: "ShareGPT",
  completion: "Completion",
};

export const PROVENANCE_LABEL: Record<Provenance, string> = {
  production_traces: "Production traces",
  human_labelled: "Human-labelled",
  synthetic: "Synthetic",
  mixed: "Mixed",
};

/** What each finding code means, in a few words, for the counts table. */
export const FINDING_LABEL: Record<FindingCode, string> = {
  invalid_utf8: "Not valid UTF-8",
  line_too_long: "Line too long",
  invalid_json: "Not valid JSON",
  not_an_object: "Not a JSON object",
  unknown_format: "Unknown row format",
  invalid_shape: "Malformed structure",
  role_order: "Roles out of order",
  no_assistant_turn: "No assistant turn",
  assistant_empty: "Empty assistant turn",
  empty_content: "Empty content",
  undeclared_tool: "Call to an undeclared tool",
  arguments_invalid_json: "Arguments are not valid JSON",
  arguments_not_object: "Arguments are not an object",
  arguments_schema: "Arguments do not match the tool schema",
  invalid_tool_schema: "Tool schema is not valid JSON Schema",
  orphan_tool_message: "Tool result without a call",
  duplicate_example: "Duplicate example",
  exceeds_context: "Longer than the context window",
  pii_email: "Possible email address",
  pii_phone: "Possible phone number",
  pii_card: "Possible card number",
  synthetic_majority: "Mostly synthetic data",
  truncated_gzip: "Truncated gzip file",
};

/** A provenance key of stats.provenance: a declared provenance or a row's own metadata.source. */
export function provenanceLabel(key: string): string {
  return (PROVENANCE_LABEL as Record<string, string>)[key] ?? key;
}
