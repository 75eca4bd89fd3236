import type { Finding } from "@/lib/schemas/datasets";
import { isRecord, listKeys, preview, typeName } from "./describe-value";
import { shapeError } from "./finding";
import type { ChatMessage, Role, ToolCall } from "./types";

/**
 * Structural reading of an OpenAI-style `messages` array into normalized ChatMessages — the
 * `invalid_shape` rules. Hand-written checks instead of a zod schema: this runs on every row of
 * multi-gigabyte files, and each check names the exact field and the type it found.
 *
 * Returns null when any message is malformed; the order and content rules then do not run, since
 * on a half-read conversation they would only echo the shape error.
 */
export function readChatMessages(
  raw: unknown,
  line: number,
  findings: Finding[],
): ChatMessage[] | null {
  if (!Array.isArray(raw)) {
    return shapeError(
      findings,
      line,
      `messages must be an array of message objects, found ${typeName(raw)}`,
      "messages",
    );
  }
  const out = new Array<ChatMessage>(raw.length);
  let ok = true;
  for (let i = 0; i < raw.length; i++) {
    const m = readMessage(raw[i], i, line, findings);
    if (m) out[i] = m;
    else ok = false;
  }
  return ok ? out : null;
}

export function isRole(value: unknown): value is Role {
  return value === "user" || value === "assistant" || value === "system" || value === "tool";
}

function readMessage(m: unknown, i: number, line: number, findings: Finding[]): ChatMessage | null {
  const at = `messages[${i}]`;
  if (!isRecord(m)) {
    return shapeError(findings, line, `expected a message object, found ${typeName(m)}`, at);
  }
  let ok = true;
  const role = m.role;
  if (!isRole(role)) {
    ok = false;
    shapeError(
      findings,
      line,
      typeof role === "string"
        ? `unknown role ${preview(role)}; expected "system", "user", "assistant" or "tool"`
        : `role must be a string ("system", "user", "assistant" or "tool"), found ${typeName(role)}`,
      `${at}.role`,
    );
  }
  let content = m.content;
  if (content === undefined) content = null;
  else if (content !== null && typeof content !== "string") {
    ok = false;
    shapeError(
      findings,
      line,
      Array.isArray(content)
        ? `content must be a string or null, found an array (content parts are not supported: join the text parts into one string)`
        : `content must be a string or null, found ${typeName(content)}`,
      `${at}.content`,
    );
  }
  let calls: ToolCall[] | undefined;
  const rawCalls = m.tool_calls;
  if (rawCalls !== undefined && rawCalls !== null) {
    if (!Array.isArray(rawCalls)) {
      ok = false;
      shapeError(
        findings,
        line,
        `tool_calls must be an array, found ${typeName(rawCalls)}`,
        `${at}.tool_calls`,
      );
    } else if (rawCalls.length > 0) {
      if (role !== "assistant" && isRole(role)) {
        ok = false;
        shapeError(
          findings,
          line,
          `only assistant messages may carry tool_calls; found them on a ${role} message`,
          `${at}.tool_calls`,
        );
      } else {
        calls = new Array<ToolCall>(rawCalls.length);
        for (let j = 0; j < rawCalls.length; j++) {
          const call = readToolCall(rawCalls[j], `${at}.tool_calls[${j}]`, line, findings);
          if (call) calls[j] = call;
          else ok = false;
        }
      }
    }
  }
  const toolCallId = m.tool_call_id;
  if (toolCallId !== undefined && toolCallId !== null && typeof toolCallId !== "string") {
    ok = false;
    shapeError(
      findings,
      line,
      `tool_call_id must be a string, found ${typeName(toolCallId)}`,
      `${at}.tool_call_id`,
    );
  }
  const name = m.name;
  if (name !== undefined && name !== null && typeof name !== "string") {
    ok = false;
    shapeError(findings, line, `name must be a string, found ${typeName(name)}`, `${at}.name`);
  }
  if (!ok) return null;
  // Only the contract's fields survive; a tool_call_id outside a tool message means nothing.
  const out: ChatMessage = { role: role as Role, content: content as string | null };
  if (calls) out.tool_calls = calls;
  if (role === "tool" && typeof toolCallId === "string") out.tool_call_id = toolCallId;
  if (typeof name === "string") out.name = name;
  return out;
}

/**
 * One OpenAI tool call. `arguments` must be a string (OpenAI's wire format, and what chat
 * templates expect); an object there is reported rather than silently re-encoded, because the
 * same producer will send objects at inference time too.
 */
export function readToolCall(
  c: unknown,
  at: string,
  line: number,
  findings: Finding[],
): ToolCall | null {
  if (!isRecord(c)) {
    return shapeError(findings, line, `expected a tool call object, found ${typeName(c)}`, at);
  }
  const fn = c.function;
  if (!isRecord(fn)) {
    return shapeError(
      findings,
      line,
      fn === undefined && c.name !== undefined
        ? `tool call has "name"/"arguments" at the top level; expected them inside "function": {"name": …, "arguments": "…"}`
        : fn === undefined
          ? `tool call has no "function" object; expected {"id", "type": "function", "function": {"name", "arguments"}}, found keys ${listKeys(c)}`
          : `tool call "function" must be an object, found ${typeName(fn)}`,
      `${at}.function`,
    );
  }
  let ok = true;
  const id = c.id;
  if (id !== undefined && id !== null && typeof id !== "string") {
    ok = false;
    shapeError(findings, line, `tool call id must be a string, found ${typeName(id)}`, `${at}.id`);
  }
  const type = c.type;
  if (type !== undefined && type !== null && type !== "function") {
    ok = false;
    shapeError(
      findings,
      line,
      `tool call type must be "function", found ${typeof type === "string" ? preview(type) : typeName(type)}`,
      `${at}.type`,
    );
  }
  const name = fn.name;
  if (typeof name !== "string" || name.length === 0) {
    ok = false;
    shapeError(
      findings,
      line,
      `function name must be a non-empty string, found ${name === "" ? "an empty string" : typeName(name)}`,
      `${at}.function.name`,
    );
  }
  const args = fn.arguments;
  if (typeof args !== "string") {
    ok = false;
    shapeError(
      findings,
      line,
      isRecord(args)
        ? `arguments is a JSON object; OpenAI's format requires it encoded as a string, e.g. "{\\"city\\":\\"Paris\\"}"`
        : args === undefined
          ? `arguments are missing; expected a JSON-encoded object string ("{}" for no arguments)`
          : `arguments must be a JSON-encoded object string, found ${typeName(args)}`,
      `${at}.function.arguments`,
    );
  }
  if (!ok) return null;
  const out: ToolCall = { function: { name: name as string, arguments: args as string } };
  if (typeof id === "string") out.id = id;
  if (type === "function") out.type = "function";
  return out;
}
