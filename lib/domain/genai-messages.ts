/**
 * Conversations as OpenTelemetry GenAI instrumentations record them, turned into the OpenAI chat
 * shape retune's traces and datasets use (lib/schemas/traces.ts). Three recordings exist:
 *  - semantic conventions ≥ 1.37: `gen_ai.input.messages` / `gen_ai.output.messages` (and
 *    `gen_ai.system_instructions`), JSON of `{ role, parts: [{ type: "text" | "tool_call" |
 *    "tool_call_response", … }] }`;
 *  - 1.28–1.36: one span event per message (`gen_ai.system.message`, `gen_ai.user.message`,
 *    `gen_ai.assistant.message`, `gen_ai.tool.message`, `gen_ai.choice`) whose fields are the
 *    event's attributes;
 *  - ≤ 1.27: `gen_ai.content.prompt` / `gen_ai.content.completion` events carrying
 *    `gen_ai.prompt` / `gen_ai.completion`, JSON of OpenAI-style messages.
 * Pure: no I/O. Unknown part types (reasoning, blobs, URIs) are left out of the text.
 */
import type { TraceInput } from "@/lib/schemas/traces";

export type ChatMessage = TraceInput["messages"][number];
type ToolCall = NonNullable<ChatMessage["tool_calls"]>[number];

/** An attribute value as decoded from OTLP (AnyValue): kvlists become plain objects. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [k: string]: AttrValue };

const ROLES = new Set(["system", "user", "assistant", "tool"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON string or an already structured value; undefined when it is neither. */
export function structured(v: unknown): unknown {
  if (typeof v !== "string") return v ?? undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

const asText = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v);

function role(r: unknown): ChatMessage["role"] {
  if (r === "developer") return "system";
  if (r === "function") return "tool";
  return typeof r === "string" && ROLES.has(r) ? (r as ChatMessage["role"]) : "user";
}

/**
 * Chat content: text stays text, OpenAI's content parts become their text when every part is
 * text, other part lists (images, audio) are kept as they are.
 */
function chatContent(c: unknown): ChatMessage["content"] {
  if (c === undefined || c === null) return null;
  if (Array.isArray(c)) {
    const texts = c.map((p) =>
      isObject(p) && p.type === "text" && typeof p.text === "string" ? p.text : null,
    );
    return texts.every((t) => t !== null) ? texts.join("") : c;
  }
  return asText(c);
}

/** `arguments` as the chat shape holds them: a JSON string. */
const argumentsText = (a: unknown) => (typeof a === "string" ? a : JSON.stringify(a ?? {}));

function toolCall(c: unknown): ToolCall | null {
  if (!isObject(c)) return null;
  const fn = isObject(c.function) ? c.function : c;
  if (typeof fn.name !== "string" || !fn.name) return null;
  return {
    ...(typeof c.id === "string" ? { id: c.id } : {}),
    type: "function",
    function: { name: fn.name, arguments: argumentsText(fn.arguments) },
  };
}

/** One message of any of the recordings (parts, or OpenAI's own fields) → chat messages. */
function fromMessage(m: unknown): ChatMessage[] {
  if (!isObject(m)) return [];
  const r = role(m.role);
  if (!Array.isArray(m.parts)) {
    // Already the chat shape (older recordings, gateways that log OpenAI messages).
    const calls = Array.isArray(m.tool_calls)
      ? m.tool_calls.map(toolCall).filter((c): c is ToolCall => c !== null)
      : [];
    const out: ChatMessage = { role: r, content: chatContent(m.content) };
    if (calls.length) out.tool_calls = calls;
    const callId = m.tool_call_id ?? (r === "tool" ? m.id : undefined);
    if (typeof callId === "string") out.tool_call_id = callId;
    if (out.content === null && !calls.length) out.content = "";
    return [out];
  }
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  const responses: ChatMessage[] = [];
  for (const part of m.parts) {
    if (!isObject(part)) continue;
    if (part.type === "text") texts.push(asText(part.content));
    else if (part.type === "tool_call") {
      const c = toolCall(part);
      if (c) calls.push(c);
    } else if (part.type === "tool_call_response") {
      responses.push({
        role: "tool",
        ...(typeof part.id === "string" ? { tool_call_id: part.id } : {}),
        content: asText(part.response ?? part.result),
      });
    }
  }
  const out: ChatMessage[] = [];
  if (texts.length || calls.length || !responses.length) {
    const msg: ChatMessage = {
      role: r === "tool" && !responses.length ? "tool" : r,
      content: texts.length ? texts.join("") : calls.length ? null : "",
    };
    if (calls.length) msg.tool_calls = calls;
    if (!(r === "tool" && responses.length)) out.push(msg);
  }
  return [...out, ...responses];
}

/** A JSON array of messages (any recording) → chat messages; [] when it is not one. */
export function messagesFrom(value: unknown): ChatMessage[] {
  const v = structured(value);
  if (!Array.isArray(v)) return isObject(v) ? fromMessage(v) : [];
  return v.flatMap(fromMessage);
}

/** `gen_ai.system_instructions`: parts (or plain text) → one system message. */
export function systemFrom(value: unknown): ChatMessage[] {
  const v = structured(value) ?? value;
  if (typeof v === "string") return v ? [{ role: "system", content: v }] : [];
  if (!Array.isArray(v)) return [];
  const text = v
    .map((p) =>
      isObject(p) && p.type === "text" ? asText(p.content) : typeof p === "string" ? p : "",
    )
    .join("");
  return text ? [{ role: "system", content: text }] : [];
}

export type SpanEvent = { name: string; attributes: Map<string, AttrValue> };

const EVENT_ROLES: Record<string, ChatMessage["role"]> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

/**
 * The older recordings, from a span's events: `{ input, output }`, both [] when the span carries
 * no such event. The content may sit in attributes named as the event body's fields (`content`,
 * `tool_calls`, `id`, `message`) or under a `gen_ai.event.` or `body.` prefix, as instrumentations
 * that flattened the body wrote them.
 */
export function messagesFromEvents(events: SpanEvent[]): {
  input: ChatMessage[];
  output: ChatMessage[];
} {
  const input: ChatMessage[] = [];
  const output: ChatMessage[] = [];
  const field = (a: Map<string, AttrValue>, k: string) =>
    a.get(k) ?? a.get(`body.${k}`) ?? a.get(`gen_ai.event.${k}`) ?? a.get(`event.${k}`);
  for (const e of events) {
    if (e.name === "gen_ai.content.prompt")
      input.push(...messagesFrom(e.attributes.get("gen_ai.prompt")));
    else if (e.name === "gen_ai.content.completion")
      output.push(...messagesFrom(e.attributes.get("gen_ai.completion")));
    else if (EVENT_ROLES[e.name]) {
      const content = field(e.attributes, "content");
      const calls = structured(field(e.attributes, "tool_calls"));
      input.push(
        ...fromMessage({
          role: EVENT_ROLES[e.name],
          content: content === undefined ? null : content,
          ...(Array.isArray(calls) ? { tool_calls: calls } : {}),
          ...(EVENT_ROLES[e.name] === "tool" ? { id: field(e.attributes, "id") } : {}),
        }),
      );
    } else if (e.name === "gen_ai.choice") {
      const message = structured(field(e.attributes, "message"));
      if (isObject(message)) output.push(...fromMessage({ role: "assistant", ...message }));
      else {
        const content = field(e.attributes, "message.content") ?? field(e.attributes, "content");
        const calls = structured(
          field(e.attributes, "message.tool_calls") ?? field(e.attributes, "tool_calls"),
        );
        output.push(
          ...fromMessage({
            role: "assistant",
            content: content === undefined ? null : content,
            ...(Array.isArray(calls) ? { tool_calls: calls } : {}),
          }),
        );
      }
    }
  }
  return { input, output };
}

/**
 * `gen_ai.tool.definitions` (the conventions' `{ type, name, description, parameters }`) or
 * OpenAI's `{ type: "function", function: {…} }`, as OpenAI tools; null when absent or unreadable.
 */
export function toolsFrom(value: unknown): Record<string, unknown>[] | null {
  const v = structured(value);
  if (!Array.isArray(v)) return null;
  const tools = v.filter(isObject).map((t) =>
    isObject(t.function) || typeof t.name !== "string"
      ? t
      : {
          type: "function",
          function: {
            name: t.name,
            ...(t.description !== undefined ? { description: t.description } : {}),
            ...(t.parameters !== undefined ? { parameters: t.parameters } : {}),
          },
        },
  );
  return tools.length ? tools : null;
}

/** The function names a tools list declares. */
export function declaredToolNames(tools: Record<string, unknown>[]): Set<string> {
  const names = new Set<string>();
  for (const t of tools) {
    const fn = isObject(t.function) ? t.function : t;
    if (typeof fn.name === "string") names.add(fn.name);
  }
  return names;
}

/** Whether a tool call's arguments are a JSON object, as a function call's must be. */
export function argumentsAreObject(args: string | Record<string, unknown>): boolean {
  if (typeof args !== "string") return true;
  try {
    return isObject(JSON.parse(args));
  } catch {
    return false;
  }
}
