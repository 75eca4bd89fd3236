/**
 * The normalized shapes every accepted row is turned into. They follow OpenAI's chat format
 * because that is what trainers (Axolotl `chat_template`, TRL, Unsloth) and vLLM read; ShareGPT
 * rows are converted into them so nothing downstream has to know the source format.
 */
export type Role = "system" | "user" | "assistant" | "tool";

export type ToolCall = {
  id?: string;
  type?: "function";
  /** `arguments` is a JSON-encoded object, as OpenAI's format requires (never an object). */
  function: { name: string; arguments: string };
};

export type ChatMessage = {
  role: Role;
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  name?: string;
};

export type ToolDef = {
  type: "function";
  function: { name: string; description?: string; parameters?: unknown };
};

/** `source` is the row's own `metadata.source` string, when it has one (per-row provenance). */
export type NormalizedExample =
  | { kind: "chat"; messages: ChatMessage[]; tools: ToolDef[]; source: string | null }
  | { kind: "completion"; prompt: string; completion: string; source: string | null };
