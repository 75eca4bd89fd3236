/**
 * Renders conversations through a base model's real chat template, with @huggingface/jinja (the
 * Jinja engine transformers.js uses, which follows Python Jinja with trim_blocks and
 * lstrip_blocks as transformers does), and finds the character spans the trainer puts loss on.
 *
 * Templates compile once per process; retune/tiny-chat's is read from
 * trainers/templates/tiny-chat.jinja (relative to the working directory, the repository root),
 * the same file the trainer renders with.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Template } from "@huggingface/jinja";
import {
  chatTemplateFor,
  type ChatTemplate,
  type ChatTemplateId,
} from "@/lib/domain/chat-templates";
import type { AssistantSpan } from "@/lib/schemas/training-preflight";

/** An OpenAI-style chat message as stored in a dataset row; extra keys pass through. */
export type RenderMessage = {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: unknown;
  name?: unknown;
  [key: string]: unknown;
};

export type ChatExample = {
  messages: readonly RenderMessage[];
  /** OpenAI `tools` (`{type: "function", function: {...}}`); empty or null means none. */
  tools?: readonly unknown[] | null;
};

export type RenderInput = ChatExample & { addGenerationPrompt: boolean };

export type AssistantSpans = { text: string; spans: AssistantSpan[] };

/** The template refused the conversation (its own raise_exception) or failed on it. */
export class ChatRenderError extends Error {
  constructor(
    message: string,
    readonly template: string,
  ) {
    super(message);
    this.name = "ChatRenderError";
  }
}

export type ChatRenderer = {
  template: ChatTemplate;
  /** Throws ChatRenderError when the template cannot render the conversation. */
  render(input: RenderInput): string;
  /** Throws ChatRenderError when the conversation, or a prefix of it, cannot be rendered. */
  assistantSpans(example: ChatExample): AssistantSpans;
  /**
   * The first assistant turn that does not line up with `full` (the whole conversation
   * rendered), as trainers/sft.py needs: "turn" when render(messages[:i+1]) is not the start of
   * it (the trainer skips the row), "prompt" when render(messages[:i], add_generation_prompt) is
   * not (the trainer's span then starts inside the prompt and puts loss on prompt text). Null
   * when every turn lines up. Throws ChatRenderError like render.
   */
  turnMismatch(example: ChatExample, full: string): TurnMismatch | null;
};

export type TurnMismatch = { messageIndex: number; kind: "turn" | "prompt" };

const renderers = new Map<ChatTemplateId, Promise<ChatRenderer>>();

/** The renderer of a base model's template; rejects for models without one. */
export function chatRendererFor(baseModelId: string): Promise<ChatRenderer> {
  const spec = chatTemplateFor(baseModelId);
  if (!spec) return Promise.reject(new Error(`no chat template is known for "${baseModelId}"`));
  let r = renderers.get(spec.id);
  if (!r) {
    r = build(spec);
    // A missing template file must not stay cached as a failure: it may be restored.
    r.catch(() => renderers.delete(spec.id));
    renderers.set(spec.id, r);
  }
  return r;
}

export async function renderChat(baseModelId: string, input: RenderInput): Promise<string> {
  return (await chatRendererFor(baseModelId)).render(input);
}

/**
 * The span of each assistant turn in the full rendering, by the prefix-diff method trainers use:
 * a turn is what render(messages[:i+1]) adds to render(messages[:i], add_generation_prompt), so
 * the assistant header belongs to the prompt and everything the model must produce (content,
 * tool calls, end-of-turn token) to the span.
 */
export async function assistantSpans(
  baseModelId: string,
  example: ChatExample,
): Promise<AssistantSpans> {
  return (await chatRendererFor(baseModelId)).assistantSpans(example);
}

async function build(spec: ChatTemplate): Promise<ChatRenderer> {
  const source = spec.source ?? (await readTemplateFile(spec));
  let compiled: Template;
  try {
    compiled = new Template(source);
  } catch (e) {
    throw new ChatRenderError(
      `the ${spec.name} chat template does not parse: ${errorText(e)}`,
      spec.name,
    );
  }
  const render = (input: RenderInput): string => {
    // The engine looks up undefined variables (`custom_tools is defined` …) by throwing and
    // catching an Error; capturing its stack trace was a good part of the rendering time.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      const vars: Record<string, unknown> = {
        messages: prepareMessages(input.messages, spec),
        add_generation_prompt: input.addGenerationPrompt,
        eos_token: spec.eos,
      };
      if (spec.bos !== null) vars.bos_token = spec.bos;
      if (input.tools && input.tools.length > 0) vars.tools = input.tools;
      return compiled.render(vars);
    } catch (e) {
      throw new ChatRenderError(errorText(e), spec.name);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  };
  return {
    template: spec,
    render,
    assistantSpans: (example) => spansOf(render, example, spec),
    turnMismatch: (example, full) => turnMismatch(render, example, full),
  };
}

async function readTemplateFile(spec: ChatTemplate): Promise<string> {
  const file = path.resolve(process.cwd(), spec.file!);
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new Error(
      `cannot read the ${spec.name} chat template at ${file} (run from the repository root): ${errorText(e)}`,
    );
  }
}

/**
 * The messages as the template should see them, normalized as trainers/retune_common.py does for
 * training (row_messages, prepare_tool_calls), so a preview shows what the trainer renders:
 * non-text content becomes compact JSON, missing content an empty string (except on a tool-call
 * turn), and tool-call arguments take the form the template expects (ChatTemplate.toolArguments).
 * A `tool_calls` that is null or empty is dropped, as the OpenAI format means: Llama 3's template
 * tests `'tool_calls' in message` and would fail on it.
 */
function prepareMessages(messages: readonly RenderMessage[], spec: ChatTemplate): unknown[] {
  const out = new Array<unknown>(messages.length);
  for (let i = 0; i < messages.length; i++) out[i] = prepareMessage(messages[i]!, spec);
  return out;
}

function prepareMessage(m: RenderMessage, spec: ChatTemplate): RenderMessage {
  let out = m;
  const calls = Array.isArray(m.tool_calls) && m.tool_calls.length > 0 ? m.tool_calls : null;
  if (!calls && (m.tool_calls === null || Array.isArray(m.tool_calls))) {
    const { tool_calls: _drop, ...rest } = m;
    out = rest as RenderMessage;
  } else if (calls) {
    out = { ...m, tool_calls: calls.map((c) => withArguments(c, spec.toolArguments)) };
  }
  const content = out.content;
  if (content === null || content === undefined) {
    if (!(out.role === "assistant" && calls)) out = { ...out, content: "" };
  } else if (typeof content !== "string") {
    out = { ...out, content: JSON.stringify(content) };
  }
  return out;
}

function withArguments(call: unknown, as: ChatTemplate["toolArguments"]): unknown {
  if (!isRecord(call) || !isRecord(call.function)) return call;
  const args = call.function.arguments;
  let next: unknown = args;
  if (as === "string" && typeof args !== "string") next = JSON.stringify(args ?? {});
  if (as === "object" && typeof args === "string") {
    try {
      next = args.trim() === "" ? {} : JSON.parse(args);
    } catch {
      throw new Error(`tool call arguments are not JSON: ${args.slice(0, 80)}`);
    }
  }
  return next === args ? call : { ...call, function: { ...call.function, arguments: next } };
}

type Render = (input: RenderInput) => string;

/** The conversation up to assistant message i: its prompt, or with the turn itself. */
function renderPrefix(render: Render, example: ChatExample, i: number, withTurn: boolean): string {
  try {
    return render({
      messages: example.messages.slice(0, withTurn ? i + 1 : i),
      tools: example.tools ?? null,
      addGenerationPrompt: !withTurn,
    });
  } catch (e) {
    const err = e as ChatRenderError;
    throw new ChatRenderError(`before assistant message ${i}: ${err.message}`, err.template);
  }
}

function turnMismatch(render: Render, example: ChatExample, full: string): TurnMismatch | null {
  const { messages } = example;
  for (let i = 0; i < messages.length; i++) {
    if (messages[i]!.role !== "assistant") continue;
    if (!full.startsWith(renderPrefix(render, example, i, false))) {
      return { messageIndex: i, kind: "prompt" };
    }
    // The last message's prefix is the whole conversation.
    if (i === messages.length - 1) continue;
    if (!full.startsWith(renderPrefix(render, example, i, true))) {
      return { messageIndex: i, kind: "turn" };
    }
  }
  return null;
}

/**
 * Spans as trainers/sft.py places its loss: a turn starts where render(messages[:i],
 * add_generation_prompt) stops agreeing with the full text and ends where render(messages[:i+1])
 * ends. When that shorter rendering is not the start of the full text (the trainer then skips
 * the row; see turnMismatch), the span ends where the two part, before any special token they
 * would split (Phi-3: `<|end|>\n` then `<|endoftext|>` against `<|user|>`).
 */
function spansOf(render: Render, example: ChatExample, spec: ChatTemplate): AssistantSpans {
  const { messages } = example;
  const text = render({ ...example, addGenerationPrompt: false });
  const spans: AssistantSpan[] = [];
  for (let i = 0; i < messages.length; i++) {
    if (messages[i]!.role !== "assistant") continue;
    const prompt = renderPrefix(render, example, i, false);
    const upto = renderPrefix(render, example, i, true);
    const start = commonPrefix(prompt, 0, text, 0);
    let end = upto.length;
    if (!text.startsWith(upto)) {
      end = backOffPartialToken(
        upto,
        start,
        start + commonPrefix(upto, start, text, start),
        spec.specialTokens,
      );
    }
    end = Math.max(start, end);
    spans.push({
      messageIndex: i,
      start,
      end,
      containsEndOfTurn: text.slice(start, end).includes(spec.endOfTurn),
    });
  }
  return { text, spans };
}

/** `end`, moved back to the start of a special token it would cut in two. */
function backOffPartialToken(
  text: string,
  start: number,
  end: number,
  specials: readonly string[],
): number {
  let cut = end;
  for (const tok of specials) {
    const at = text.lastIndexOf(tok, end - 1);
    if (at >= start && at < end && at + tok.length > end) cut = Math.min(cut, at);
  }
  return cut;
}

/** Length of the common run of `a` from `ai` and `b` from `bi`. */
function commonPrefix(a: string, ai: number, b: string, bi: number): number {
  const n = Math.min(a.length - ai, b.length - bi);
  let k = 0;
  while (k < n && a.charCodeAt(ai + k) === b.charCodeAt(bi + k)) k++;
  return k;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
