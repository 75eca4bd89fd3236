/**
 * OpenAI-style chat-completion logs → trace inputs (POST /api/v1/traces/import). Each line of
 * the JSONL is one call, in one of the shapes gateways and SDK loggers write:
 *  - `{ request: { model, messages, tools? }, response: { id, created, model, choices, usage } }`
 *    (the response may also be wrapped as `{ body: {…} }`, as a proxy records it);
 *  - OpenAI Batch API output, `{ custom_id, response: { status_code, body: {…} } }`, whose
 *    request is the batch input line with the same custom_id (`{ custom_id, method, url,
 *    body }`) in the same file, or a `request` beside the response;
 *  - `{ messages | input, choices | output }`, where the input is the messages (or
 *    `{ messages }`) and the output a chat completion, a message, messages, or plain text.
 * Pure: the caller reads lines, fills ids the log does not carry, and stores.
 */
import type { TraceInput } from "@/lib/schemas/traces";
import { TRACE_OUTCOMES } from "@/lib/schemas/traces";
import { type ChatMessage, messagesFrom } from "./genai-messages";

export type ChatLogLine = { line: number; value: unknown };
export type ChatLogTrace = Omit<TraceInput, "model" | "id"> & { id?: string };
export type ChatLogResult = {
  traces: { line: number; trace: ChatLogTrace }[];
  errors: { line: number; message: string }[];
};

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/** A batch input line: what a batch output line's custom_id points to. */
const isBatchInput = (v: Obj) =>
  typeof v.custom_id === "string" && isObject(v.body) && v.response === undefined;

/** The completion inside a response, whichever wrapper a logger put around it. */
function completionOf(response: unknown): Obj | undefined {
  if (!isObject(response)) return undefined;
  if (isObject(response.body)) return response.body;
  return response;
}

/** An error a log recorded instead of a completion, worded; undefined when there is none. */
function failureOf(line: Obj, response: unknown): string | undefined {
  const err = line.error ?? (isObject(response) ? response.error : undefined);
  const status = isObject(response) ? response.status_code : undefined;
  if (typeof status === "number" && status >= 400) {
    const inner = isObject(response) && isObject(response.body) ? response.body.error : undefined;
    const message = isObject(inner) ? text(inner.message) : undefined;
    return `status ${status}${message ? `: ${message}` : ""}`;
  }
  if (err !== undefined && err !== null)
    return isObject(err) ? (text(err.message) ?? JSON.stringify(err)) : String(err);
  return undefined;
}

/** The output part of the `{ input, output }` shapes as assistant messages. */
function outputMessages(output: unknown): ChatMessage[] {
  if (typeof output === "string") return [{ role: "assistant", content: output }];
  if (isObject(output) && Array.isArray(output.choices)) return choiceMessages(output);
  return messagesFrom(Array.isArray(output) ? output : isObject(output) ? [output] : []).map((m) =>
    m.role === "tool" ? m : { ...m, role: "assistant" as const },
  );
}

function choiceMessages(completion: Obj): ChatMessage[] {
  const choices = Array.isArray(completion.choices) ? completion.choices : [];
  const first = choices.find(isObject);
  if (!first) return [];
  if (isObject(first.message))
    return messagesFrom([{ ...first.message, role: "assistant" }]).map((m) => ({
      ...m,
      role: "assistant" as const,
    }));
  // Legacy completions: `{ text }`.
  const t = text(first.text);
  return t !== undefined ? [{ role: "assistant", content: t }] : [];
}

/** A time a logger wrote: ISO text, or epoch seconds or milliseconds. */
function timeOf(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    if (typeof c === "number" && Number.isFinite(c) && c > 0) {
      const ms = c < 1e11 ? c * 1000 : c;
      return new Date(ms).toISOString();
    }
    if (typeof c === "string" && !Number.isNaN(Date.parse(c))) return new Date(c).toISOString();
  }
  return undefined;
}

function toolsOf(request: Obj): Record<string, unknown>[] | undefined {
  if (Array.isArray(request.tools) && request.tools.length) return request.tools.filter(isObject);
  if (Array.isArray(request.functions) && request.functions.length)
    return request.functions.filter(isObject).map((f) => ({ type: "function", function: f }));
  return undefined;
}

/** Every line's trace, or why the line cannot become one (its 1-based line number). */
export function tracesFromChatLog(lines: ChatLogLine[], now: Date): ChatLogResult {
  const inputs = new Map<string, { line: number; body: Obj }>();
  const answered = new Set<string>();
  for (const { line, value } of lines) {
    if (isObject(value) && isBatchInput(value))
      inputs.set(value.custom_id as string, { line, body: value.body as Obj });
    else if (isObject(value) && typeof value.custom_id === "string") answered.add(value.custom_id);
  }
  const out: ChatLogResult = { traces: [], errors: [] };
  const fail = (line: number, message: string) => out.errors.push({ line, message });

  for (const { line, value } of lines) {
    if (!isObject(value)) {
      fail(line, "expected a JSON object: one chat-completion request and response per line");
      continue;
    }
    if (isBatchInput(value)) {
      // Consumed by the output line with its custom_id.
      if (!answered.has(value.custom_id as string))
        fail(
          line,
          `batch request ${JSON.stringify(value.custom_id)} has no output line (custom_id) in this file`,
        );
      continue;
    }

    let request: Obj | undefined;
    let response: unknown;
    let output: ChatMessage[] = [];
    if (value.request !== undefined || value.response !== undefined) {
      request = completionOf(value.request);
      if (!request && typeof value.custom_id === "string")
        request = inputs.get(value.custom_id)?.body;
      response = value.response;
      if (!request) {
        fail(
          line,
          typeof value.custom_id === "string"
            ? `batch output ${JSON.stringify(value.custom_id)}: its request is not in the file; add the batch input line with that custom_id`
            : "no request: expected { request: { messages }, response: { choices } }",
        );
        continue;
      }
      const failure = failureOf(value, response);
      if (failure) {
        fail(line, `the response is an error, not a completion (${failure})`);
        continue;
      }
      const completion = completionOf(response);
      output = completion ? choiceMessages(completion) : [];
    } else if (value.messages !== undefined || value.input !== undefined) {
      const input = value.messages ?? value.input;
      request = isObject(input) ? input : { messages: input };
      if (typeof value.model === "string" && request.model === undefined)
        request = { ...request, model: value.model };
      if (Array.isArray(value.tools) && request.tools === undefined)
        request = { ...request, tools: value.tools };
      response =
        value.output ??
        (value.choices !== undefined ? { choices: value.choices } : value.completion);
      const failure = failureOf(value, response);
      if (failure) {
        fail(line, `the response is an error, not a completion (${failure})`);
        continue;
      }
      output = outputMessages(response);
    } else {
      fail(
        line,
        "unrecognised line: expected { request, response }, a batch line with custom_id, or { messages | input, choices | output }",
      );
      continue;
    }

    const prompt =
      typeof request.prompt === "string" && request.messages === undefined
        ? [{ role: "user" as const, content: request.prompt }]
        : messagesFrom(Array.isArray(request.messages) ? request.messages : []);
    if (prompt.length === 0) {
      fail(line, "the request has no messages (request.messages)");
      continue;
    }
    if (!output.some((m) => m.role === "assistant")) {
      fail(line, "the response has no assistant message (choices[0].message)");
      continue;
    }
    const completion = completionOf(response) ?? {};
    const tools = toolsOf(request);
    const usage = isObject(completion.usage) ? completion.usage : undefined;
    const firstChoice = Array.isArray(completion.choices)
      ? completion.choices.find(isObject)
      : undefined;
    const metadata: Record<string, unknown> = { source: "openai-log", line };
    const put = (k: string, v: unknown) => {
      if (v !== undefined && v !== null) metadata[k] = v;
    };
    put("requestModel", request.model);
    put("responseModel", completion.model);
    put("customId", value.custom_id);
    put("inputTokens", usage?.prompt_tokens);
    put("outputTokens", usage?.completion_tokens);
    put("finishReason", firstChoice?.finish_reason);
    const outcome = TRACE_OUTCOMES.find((o) => o === value.outcome) ?? "success";
    const id = text(completion.id) ?? text(value.id);
    out.traces.push({
      line,
      trace: {
        ...(id ? { id } : {}),
        timestamp:
          timeOf(
            completion.created,
            value.timestamp,
            value.created_at,
            value.createdAt,
            value.start_time,
            value.startTime,
            value.time,
          ) ?? now.toISOString(),
        outcome,
        messages: [...prompt, ...output],
        ...(tools ? { tools } : {}),
        metadata,
      },
    });
  }
  out.errors.sort((a, b) => a.line - b.line);
  return out;
}
