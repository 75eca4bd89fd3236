/**
 * Where in the uploaded row a normalized message came from, so findings name the field the user
 * wrote (`conversations[3].value`) and not the converted one. Paths are built only when a finding
 * is emitted, never for clean rows.
 */
export interface FieldPaths {
  /** The array of turns: "messages" or "conversations". */
  readonly list: string;
  message(i: number): string;
  role(i: number): string;
  content(i: number): string;
  toolCallId(i: number): string;
  toolCall(i: number, j: number): string;
  toolName(i: number, j: number): string;
  toolArguments(i: number, j: number): string;
  /** A tool definition's `name` or `parameters`. */
  tool(k: number, leaf: "name" | "parameters"): string;
}

/** OpenAI chat rows: normalized message i is `messages[i]`. */
export const CHAT_PATHS: FieldPaths = {
  list: "messages",
  message: (i) => `messages[${i}]`,
  role: (i) => `messages[${i}].role`,
  content: (i) => `messages[${i}].content`,
  toolCallId: (i) => `messages[${i}].tool_call_id`,
  toolCall: (i, j) => `messages[${i}].tool_calls[${j}]`,
  toolName: (i, j) => `messages[${i}].tool_calls[${j}].function.name`,
  toolArguments: (i, j) => `messages[${i}].tool_calls[${j}].function.arguments`,
  tool: (k, leaf) => `tools[${k}].function.${leaf}`,
};
