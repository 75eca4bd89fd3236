import type { Finding } from "@/lib/schemas/datasets";
import { isBlank, isRecord, preview, typeName } from "./describe-value";
import type { FieldPaths } from "./field-paths";
import { shapeError } from "./finding";
import { readTools } from "./tool-defs";
import type { ChatMessage, Role, ToolCall, ToolDef } from "./types";

/**
 * ShareGPT rows (`{"conversations": [{"from", "value"}]}`) converted to chat messages. Axolotl
 * rejects `type: sharegpt` datasets since v0.17, so retune converts on the way in and trains
 * from chat only. The LLaMA-Factory flavour is understood too: `function_call` turns whose value
 * is `{"name", "arguments"}` JSON (or an array of them, for parallel calls), `observation` turns
 * for tool results, and top-level `system` and `tools` (an array or a JSON string of one).
 */
export type ShareGptConversion = { messages: ChatMessage[]; tools: ToolDef[]; paths: FieldPaths };

type Speaker = Role | "function_call";

/** A switch, not an object lookup: `from: "constructor"` must not find Object's prototype. */
function speakerRole(from: string): Speaker | null {
  switch (from) {
    case "human":
    case "user":
      return "user";
    case "gpt":
    case "assistant":
      return "assistant";
    case "system":
      return "system";
    case "observation":
    case "tool":
      return "tool";
    case "function_call":
      return "function_call";
    default:
      return null;
  }
}

export function convertShareGpt(
  row: Record<string, unknown>,
  line: number,
  findings: Finding[],
): ShareGptConversion | null {
  const conversations = row.conversations;
  if (!Array.isArray(conversations)) {
    return shapeError(
      findings,
      line,
      `conversations must be an array of {"from", "value"} turns, found ${typeName(conversations)}`,
      "conversations",
    );
  }
  let ok = true;
  const messages: ChatMessage[] = [];
  // origin[i]: the conversations index message i came from; -1 for the top-level `system`.
  const origin: number[] = [];
  const arrayValue: boolean[] = [];

  const system = row.system;
  if (system !== undefined && system !== null) {
    if (typeof system !== "string") {
      ok = false;
      shapeError(findings, line, `system must be a string, found ${typeName(system)}`, "system");
    } else if (!isBlank(system)) {
      messages.push({ role: "system", content: system });
      origin.push(-1);
      arrayValue.push(false);
    }
  }

  let rawTools = row.tools;
  if (typeof rawTools === "string") {
    if (isBlank(rawTools)) rawTools = undefined;
    else {
      try {
        rawTools = JSON.parse(rawTools);
      } catch (e) {
        ok = false;
        shapeError(
          findings,
          line,
          `tools is a string that is not valid JSON (${(e as Error).message}); expected an array of tool definitions`,
          "tools",
        );
        rawTools = undefined;
      }
    }
  }
  const tools = readTools(rawTools, line, findings, true);
  if (!tools) ok = false;

  for (let k = 0; k < conversations.length; k++) {
    const turn: unknown = conversations[k];
    const at = `conversations[${k}]`;
    if (!isRecord(turn)) {
      ok = false;
      shapeError(
        findings,
        line,
        `expected a {"from", "value"} object, found ${typeName(turn)}`,
        at,
      );
      continue;
    }
    const from = turn.from;
    const speaker = typeof from === "string" ? speakerRole(from) : null;
    if (speaker === null) {
      ok = false;
      shapeError(
        findings,
        line,
        typeof from === "string"
          ? `unknown speaker ${preview(from)}; expected one of system, human, user, gpt, assistant, tool, function_call, observation`
          : `from must be a string naming the speaker, found ${typeName(from)}`,
        `${at}.from`,
      );
      continue;
    }
    const value = turn.value;
    if (typeof value !== "string") {
      ok = false;
      shapeError(findings, line, `value must be a string, found ${typeName(value)}`, `${at}.value`);
      continue;
    }
    if (speaker === "function_call") {
      const calls = readFunctionCall(value, at, line, findings);
      if (!calls) {
        ok = false;
        continue;
      }
      messages.push({ role: "assistant", content: null, tool_calls: calls.calls });
      arrayValue.push(calls.array);
    } else {
      messages.push({ role: speaker, content: value });
      arrayValue.push(false);
    }
    origin.push(k);
  }
  if (!ok || !tools) return null;
  return { messages, tools, paths: new ShareGptPaths(origin, arrayValue, rawTools) };
}

/**
 * A `function_call` value: `{"name", "arguments"}` or an array of them. Object arguments (the
 * LLaMA-Factory convention) are encoded to the string OpenAI's format needs; string arguments are
 * kept as they are, so a double-encoded one is still caught by the argument rules.
 */
function readFunctionCall(
  value: string,
  at: string,
  line: number,
  findings: Finding[],
): { calls: ToolCall[]; array: boolean } | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(value);
  } catch (e) {
    return shapeError(
      findings,
      line,
      `function_call value is not valid JSON (${(e as Error).message}); expected {"name": …, "arguments": {…}}: ${preview(value)}`,
      `${at}.value`,
    );
  }
  const array = Array.isArray(decoded);
  const items: unknown[] = array ? (decoded as unknown[]) : [decoded];
  if (items.length === 0) {
    return shapeError(findings, line, `function_call value is an empty array`, `${at}.value`);
  }
  const calls: ToolCall[] = [];
  for (let j = 0; j < items.length; j++) {
    const item = items[j];
    const path = array ? `${at}.value[${j}]` : `${at}.value`;
    if (!isRecord(item)) {
      return shapeError(
        findings,
        line,
        `function_call value must decode to {"name": …, "arguments": {…}}, found ${typeName(item)}`,
        path,
      );
    }
    const name = item.name;
    if (typeof name !== "string" || name.length === 0) {
      return shapeError(
        findings,
        line,
        `function_call name must be a non-empty string, found ${name === "" ? "an empty string" : typeName(name)}`,
        `${path}.name`,
      );
    }
    const args = item.arguments;
    if (args === undefined) {
      return shapeError(
        findings,
        line,
        `function_call has no "arguments"; expected an object ({} for no arguments)`,
        `${path}.arguments`,
      );
    }
    calls.push({
      type: "function",
      function: { name, arguments: typeof args === "string" ? args : JSON.stringify(args) },
    });
  }
  return { calls, array };
}

/**
 * ShareGPT has no call ids. Once a conversation is known to be well-formed, give each call an id
 * and each tool result the id of the call it answers (in order), so chat templates that need ids
 * (Mistral's, for one) can render the converted example. Ids already present are kept.
 */
export function assignToolCallIds(messages: ChatMessage[]): void {
  let calls: ToolCall[] | undefined;
  let next = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === "assistant" && m.tool_calls && m.tool_calls.length > 0) {
      calls = m.tool_calls;
      next = 0;
      for (let j = 0; j < calls.length; j++) calls[j]!.id ??= `call_${i}_${j}`;
    } else if (m.role === "tool") {
      const call = calls?.[next++];
      if (call && m.tool_call_id === undefined) m.tool_call_id = call.id!;
    } else {
      calls = undefined;
    }
  }
}

class ShareGptPaths implements FieldPaths {
  readonly list = "conversations";
  constructor(
    private readonly origin: readonly number[],
    private readonly arrayValue: readonly boolean[],
    private readonly rawTools: unknown,
  ) {}
  message(i: number): string {
    const k = this.origin[i] ?? -1;
    return k < 0 ? "system" : `conversations[${k}]`;
  }
  role(i: number): string {
    const k = this.origin[i] ?? -1;
    return k < 0 ? "system" : `conversations[${k}].from`;
  }
  content(i: number): string {
    const k = this.origin[i] ?? -1;
    return k < 0 ? "system" : `conversations[${k}].value`;
  }
  toolCallId(i: number): string {
    return this.message(i);
  }
  toolCall(i: number, j: number): string {
    return this.arrayValue[i] ? `${this.content(i)}[${j}]` : this.content(i);
  }
  toolName(i: number, j: number): string {
    return `${this.toolCall(i, j)}.name`;
  }
  toolArguments(i: number, j: number): string {
    return `${this.toolCall(i, j)}.arguments`;
  }
  tool(k: number, leaf: "name" | "parameters"): string {
    const raw: unknown = Array.isArray(this.rawTools) ? this.rawTools[k] : undefined;
    return isRecord(raw) && isRecord(raw.function)
      ? `tools[${k}].function.${leaf}`
      : `tools[${k}].${leaf}`;
  }
}
