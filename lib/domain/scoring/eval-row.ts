import { readChatMessages } from "@/lib/domain/datasets/chat-messages";
import { readTools } from "@/lib/domain/datasets/tool-defs";
import type { ChatMessage, ToolDef } from "@/lib/domain/datasets/types";
import type { Finding } from "@/lib/schemas/datasets";
import type { CaseExpected, CaseSlice, ToolCall } from "@/lib/schemas/eval-metrics";
import { isRecord } from "./outcome";

/** One eval case read from a dataset row: what to send, what to offer, what to expect. */
export type EvalCase = {
  /** The conversation before the reference turn: the prompt sent to the target. */
  messages: ChatMessage[];
  tools: ToolDef[];
  expected: CaseExpected;
  slice: CaseSlice;
};

export const NO_CALL_SLICE = "(no call)";

/**
 * Reads an OpenAI chat eval row (`{messages, tools?, metadata?: {intent?}}`). Its first assistant
 * message with tool calls — else its last assistant message — is the reference; everything before
 * it is the prompt (anything after it is ignored).
 * Tool-call `function.arguments` may be a JSON string (OpenAI's wire format) or an object;
 * objects are re-encoded so the prompt is valid to send, and the reference's arguments are
 * decoded into objects. The row is read with the dataset validator's own readers, so a row that
 * passed validation reads here and a malformed one gets the same wording.
 *
 * The slice's tool is the reference's distinct call names joined with "+" (one name for a single
 * or repeated call, "a+b" for parallel calls to different tools), or "(no call)".
 */
export function expectedFromRow(
  row: unknown,
): { ok: true; case: EvalCase } | { ok: false; error: string } {
  if (!isRecord(row)) return { ok: false, error: "an eval row must be a JSON object" };
  const findings: Finding[] = [];
  const messages = readChatMessages(encodeArguments(row.messages), 1, findings);
  const tools = readTools(row.tools, 1, findings, false);
  if (!messages || !tools) return { ok: false, error: describe(findings) };

  // The reference is the row's first tool-calling assistant turn — the decision a tool-calling
  // component is tuned for; the reply written after the tool's answer depends on that answer —
  // or, in a row without calls, its last assistant turn.
  let last = messages.findIndex((m) => m.role === "assistant" && (m.tool_calls?.length ?? 0) > 0);
  for (let i = messages.length - 1; last < 0 && i >= 0; i--) {
    if (messages[i]!.role === "assistant") last = i;
  }
  if (last < 0) {
    return { ok: false, error: "the row has no assistant message to use as the reference answer" };
  }
  const reference = messages[last]!;
  const toolCalls: ToolCall[] = [];
  for (const [j, call] of (reference.tool_calls ?? []).entries()) {
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments);
    } catch {
      args = undefined;
    }
    if (!isRecord(args)) {
      return {
        ok: false,
        error: `messages[${last}].tool_calls[${j}].function.arguments: the reference call's arguments are not a JSON object`,
      };
    }
    toolCalls.push({ name: call.function.name, arguments: args });
  }
  const content = reference.content;
  if (toolCalls.length === 0 && content === null) {
    return {
      ok: false,
      error: `messages[${last}]: the reference assistant message has neither content nor tool calls`,
    };
  }
  const metadata = isRecord(row.metadata) ? row.metadata : null;
  const intent = typeof metadata?.intent === "string" ? metadata.intent : null;
  const expected: CaseExpected = {
    text: toolCalls.length > 0 && content === "" ? null : content,
    toolCalls,
  };
  const tool =
    toolCalls.length === 0 ? NO_CALL_SLICE : [...new Set(toolCalls.map((c) => c.name))].join("+");
  return {
    ok: true,
    case: { messages: messages.slice(0, last), tools, expected, slice: { tool, intent } },
  };
}

/** A copy of `messages` with object `function.arguments` JSON-encoded; anything else as is. */
function encodeArguments(messages: unknown): unknown {
  if (!Array.isArray(messages)) return messages;
  return messages.map((m) => {
    if (!isRecord(m) || !Array.isArray(m.tool_calls)) return m;
    return {
      ...m,
      tool_calls: m.tool_calls.map((c: unknown) => {
        if (!isRecord(c) || !isRecord(c.function) || !isRecord(c.function.arguments)) return c;
        return {
          ...c,
          function: { ...c.function, arguments: JSON.stringify(c.function.arguments) },
        };
      }),
    };
  });
}

function describe(findings: readonly Finding[]): string {
  const f = findings[0];
  if (!f) return "the row could not be read";
  return f.field ? `${f.field}: ${f.message}` : f.message;
}
