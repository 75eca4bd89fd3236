import { readChatMessages } from "@/lib/domain/datasets/chat-messages";
import { readTools } from "@/lib/domain/datasets/tool-defs";
import type { ChatMessage, ToolDef } from "@/lib/domain/datasets/types";
import type { Finding } from "@/lib/schemas/datasets";
import type { AcceptableCall, CaseExpected, CaseSlice, ToolCall } from "@/lib/schemas/eval-metrics";
import {
  caseExpectationSchema,
  possibleAnswerSchema,
  type CaseExpectation,
} from "@/lib/schemas/possible-answer";
import { isRecord } from "./outcome";

/** One eval case read from a dataset row: what to send, what to offer, what to expect. */
export type EvalCase = {
  /** The conversation before the reference turn: the prompt sent to the target. */
  messages: ChatMessage[];
  tools: ToolDef[];
  expected: CaseExpected;
  slice: CaseSlice;
};

/**
 * Which assistant turns of a row become cases: "first" (one case: the first tool-calling turn,
 * else the last assistant turn) or "all" (one case per assistant turn, teacher-forced).
 */
export type EvalTurns = "first" | "all";

export type RowCases = { ok: true; cases: EvalCase[] } | { ok: false; error: string };

export const NO_CALL_SLICE = "(no call)";
/** The slice tool of a case that expects some call but names none (`metadata.expect: any_call`). */
export const ANY_CALL_SLICE = "(any call)";

/**
 * Reads an OpenAI chat eval row (`{messages, tools?, metadata?}`) into its cases.
 *
 * The row's primary turn is its first assistant message with tool calls — the decision a
 * tool-calling component is tuned for; the reply written after the tool's answer depends on
 * that answer — else its last assistant message. With `turns: "first"` the primary turn is the
 * one case, everything before it the prompt (anything after it is ignored). With `turns: "all"`
 * every assistant turn is a case, in order, and its prompt is the row's own (gold) conversation
 * before it: earlier user and assistant turns, their tool calls and the tool results (teacher
 * forcing), so each turn is judged on its own decision, not on the model's earlier mistakes.
 * Its `slice.turn` is its 1-based position among the row's assistant turns ("1", "2", …).
 * A turn that cannot be read (empty, arguments not an object) makes the whole row unusable in
 * both modes, since a conversation with a turn left out cannot be judged whole.
 *
 * Tool-call `function.arguments` may be a JSON string (OpenAI's wire format) or an object;
 * objects are re-encoded so the prompt is valid to send, and the reference's arguments are
 * decoded into objects. The row is read with the dataset validator's own readers, so a row that
 * passed validation reads here and a malformed one gets the same wording.
 *
 * Metadata:
 * - `intent` (string) → `slice.intent`; `category` (string) → `slice.category` (absent when
 *   the row has none, so first-turn cases of plain rows are unchanged).
 * - `possible_answer` (BFCL's `[{"func": {"arg": [acceptable values]}}]`) → `expected.acceptable`,
 *   and `expect` ("calls" | "any_call" | "no_call") → `expected.expect`. Both describe the row's
 *   primary turn only — in "all" mode too; the other turns are judged by their gold calls. A
 *   BFCL answer describes one decision, and per-turn answer lists are not a format anyone
 *   publishes for OpenAI-format rows, so there is no second form to guess at.
 *   A malformed `possible_answer`, an unknown `expect`, or one that contradicts the reference
 *   (acceptable calls on a row that never calls, "no_call" on a row that does) is an error
 *   naming the path.
 *
 * The slice's tool is the expected calls' distinct names joined with "+" (one name for a single
 * or repeated call, "a+b" for parallel calls to different tools; the acceptable calls' names
 * when the row lists them), "(any call)" for an `any_call` case, or "(no call)".
 */
export function casesFromRow(row: unknown, opts: { turns: EvalTurns }): RowCases {
  if (!isRecord(row)) return { ok: false, error: "an eval row must be a JSON object" };
  const findings: Finding[] = [];
  const messages = readChatMessages(encodeArguments(row.messages), 1, findings);
  const tools = readTools(row.tools, 1, findings, false);
  if (!messages || !tools) return { ok: false, error: describe(findings) };

  const assistantTurns: number[] = [];
  for (const [i, m] of messages.entries()) if (m.role === "assistant") assistantTurns.push(i);
  const firstCall = assistantTurns.find((i) => (messages[i]!.tool_calls?.length ?? 0) > 0);
  const primary = firstCall ?? assistantTurns.at(-1);
  if (primary === undefined) {
    return { ok: false, error: "the row has no assistant message to use as the reference answer" };
  }

  const meta = readMetadata(row.metadata);
  if (!meta.ok) return meta;
  const { intent, category, acceptable, expect } = meta;
  if (acceptable && firstCall === undefined)
    return {
      ok: false,
      error:
        "metadata.possible_answer: the row lists acceptable calls but has no tool-calling assistant turn to hold them against",
    };
  if (expect === "no_call" && firstCall !== undefined)
    return {
      ok: false,
      error: `metadata.expect: "no_call", but messages[${firstCall}] calls a tool`,
    };
  if (acceptable && expect !== undefined && expect !== "calls")
    return {
      ok: false,
      error: `metadata.expect: "${expect}" cannot be combined with metadata.possible_answer, which lists the calls expected`,
    };

  const targets = opts.turns === "all" ? assistantTurns : [primary];
  const cases: EvalCase[] = [];
  for (const at of targets) {
    const read = referenceOf(messages, at);
    if (!read.ok) return read;
    const expected: CaseExpected = read.expected;
    if (at === primary) {
      if (acceptable) expected.acceptable = acceptable;
      if (expect !== undefined) expected.expect = expect;
    }
    const slice: CaseSlice = { tool: sliceTool(expected), intent };
    if (category !== undefined) slice.category = category;
    if (opts.turns === "all") slice.turn = String(assistantTurns.indexOf(at) + 1);
    cases.push({ messages: messages.slice(0, at), tools, expected, slice });
  }
  return { ok: true, cases };
}

/**
 * The row's one first-turn case (`casesFromRow(row, { turns: "first" })`): the reference is its
 * first tool-calling assistant turn, else its last assistant turn.
 */
export function expectedFromRow(
  row: unknown,
): { ok: true; case: EvalCase } | { ok: false; error: string } {
  const read = casesFromRow(row, { turns: "first" });
  return read.ok ? { ok: true, case: read.cases[0]! } : read;
}

/** The expected answer of the assistant message at `at`: its calls (arguments decoded) and text. */
function referenceOf(
  messages: readonly ChatMessage[],
  at: number,
): { ok: true; expected: CaseExpected } | { ok: false; error: string } {
  const reference = messages[at]!;
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
        error: `messages[${at}].tool_calls[${j}].function.arguments: the reference call's arguments are not a JSON object`,
      };
    }
    toolCalls.push({ name: call.function.name, arguments: args });
  }
  const content = reference.content;
  if (toolCalls.length === 0 && content === null) {
    return {
      ok: false,
      error: `messages[${at}]: the reference assistant message has neither content nor tool calls`,
    };
  }
  return {
    ok: true,
    expected: { text: toolCalls.length > 0 && content === "" ? null : content, toolCalls },
  };
}

type RowMetadata = {
  ok: true;
  intent: string | null;
  category: string | undefined;
  acceptable: AcceptableCall[] | undefined;
  expect: CaseExpectation | undefined;
};

/** The row's metadata fields that shape its cases; a malformed answer is an error naming its path. */
function readMetadata(raw: unknown): RowMetadata | { ok: false; error: string } {
  const metadata = isRecord(raw) ? raw : null;
  const intent = typeof metadata?.intent === "string" ? metadata.intent : null;
  const category = typeof metadata?.category === "string" ? metadata.category : undefined;
  let acceptable: AcceptableCall[] | undefined;
  if (metadata?.possible_answer !== undefined) {
    const parsed = possibleAnswerSchema.safeParse(metadata.possible_answer);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return {
        ok: false,
        error: `${pathOf("metadata.possible_answer", issue.path)}: ${issue.message}`,
      };
    }
    // Each entry names exactly one function (the schema checks it).
    acceptable = parsed.data.map((entry) => {
      const [name, args] = Object.entries(entry)[0]!;
      return { name, arguments: args };
    });
  }
  let expect: CaseExpectation | undefined;
  if (metadata?.expect !== undefined) {
    const parsed = caseExpectationSchema.safeParse(metadata.expect);
    if (!parsed.success)
      return {
        ok: false,
        error: `metadata.expect: expected "calls", "any_call" or "no_call", found ${JSON.stringify(metadata.expect) ?? String(metadata.expect)}`,
      };
    expect = parsed.data;
  }
  return { ok: true, intent, category, acceptable, expect };
}

function sliceTool(expected: CaseExpected): string {
  const names = (expected.acceptable ?? expected.toolCalls).map((c) => c.name);
  if (names.length > 0) return [...new Set(names)].join("+");
  return expected.expect === "any_call" ? ANY_CALL_SLICE : NO_CALL_SLICE;
}

/** `metadata.possible_answer[0].get_weather.city` from a zod issue path. */
function pathOf(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
  return out;
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
