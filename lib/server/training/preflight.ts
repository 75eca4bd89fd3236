/**
 * The training preflight: reads a dataset the way the trainer will, before a GPU is rented.
 * Examples go through the base model's real chat template; the report shows the first few as
 * the trainer sees them, with the spans that carry the loss, checks that the end-of-turn token
 * is among them, counts the examples the sequence length cuts, finds eval examples that are also
 * training examples, and names the rows the template cannot render.
 *
 * One streaming pass over each file (one line in memory), capped at `scanLimit` rows.
 */
import { open } from "node:fs/promises";
import { findBaseModel } from "@/lib/domain/base-models";
import { chatTemplateFor, type ChatTemplate } from "@/lib/domain/chat-templates";
import { exampleHash, hashString, splitOf } from "@/lib/domain/datasets/example-hash";
import { convertShareGpt } from "@/lib/domain/datasets/sharegpt";
import type { Finding } from "@/lib/schemas/datasets";
import type {
  Preflight,
  PreflightFinding,
  RenderedExample,
} from "@/lib/schemas/training-preflight";
import { type ChatExample, chatRendererFor, type ChatRenderer } from "./chat-render";
import { env } from "@/lib/server/core/env";
import { GZIP_MAGIC, type Line, readLines } from "@/lib/server/datasets/jsonl-lines";
import { type TokenCounter, tokenCounterFor } from "@/lib/server/datasets/tokenizers";

export type PreflightInput = {
  baseModel: string;
  /** hyperparameters.sequenceLen: tokens the trainer keeps of each example. */
  sequenceLen: number;
  /** JSONL (plain or gzip) of chat rows: `{messages, tools?}`, or ShareGPT `{conversations}`. */
  trainPath: string;
  /** A separate eval set; null when the eval set is a split of the training file, or none. */
  evalPath: string | null;
  /** With no eval file: the dataset version's split (the same hash split validation uses). */
  evalSplit?: { evalFraction: number } | null;
  /** Examples rendered in full for the report (default 3). */
  sampleCount?: number;
  /** Rows read from each file at most (default 50,000). */
  scanLimit?: number;
  /** Longest line read (default DATASET_MAX_LINE_BYTES). */
  maxLineBytes?: number;
  signal?: AbortSignal;
};

export const PREFLIGHT_SCAN_LIMIT = 50_000;
/** Rows whose turns are checked the way the trainer places its loss (two renders per turn). */
export const TURN_CHECK_ROWS = 1_000;
const LISTED = 10; // lines listed per kind of problem
const RENDER_ERRORS_KEPT = 20; // distinct render errors tracked

type Row = { line: number; text: string; example: ChatExample };
type Unreadable = { count: number; first: { line: number; reason: string } | null };
type RenderFailures = Map<string, { count: number; lines: number[] }>;

export async function runPreflight(input: PreflightInput): Promise<Preflight> {
  const model = findBaseModel(input.baseModel);
  const template = chatTemplateFor(input.baseModel);
  const counter = await tokenCounterFor(model);
  const base = emptyReport(input, template, counter);
  if (!template) {
    base.findings.push({
      severity: "error",
      code: "no_chat_template",
      message: `${input.baseModel} has no chat template in retune's catalogue, so it cannot be fine-tuned on chat data`,
    });
    return base;
  }
  const renderer = await chatRendererFor(input.baseModel);
  const scan = await scanTrain(input, renderer, tokenCounting(template, counter));
  const leak = input.evalPath
    ? await scanEvalFile(input, scan.trainHashes)
    : leakageWithinSplit(scan.trainHashes, scan.evalSide);

  const report: Preflight = {
    ...base,
    scanned: {
      trainRows: scan.rows,
      evalRows: leak.rows,
      capped: scan.capped || leak.capped,
    },
    renderedExamples: scan.samples,
    eotTrained: eotTrained(scan.samples),
    truncated: {
      count: scan.truncated,
      of: scan.counted,
      sequenceLen: input.sequenceLen,
      maxTokens: scan.maxTokens,
      lines: scan.truncatedLines,
    },
    leakage: { count: leak.count, lines: leak.pairs },
  };
  report.findings = findings(input, template, counter, scan, leak, report);
  return report;
}

function emptyReport(
  input: PreflightInput,
  template: ChatTemplate | undefined,
  counter: TokenCounter,
): Preflight {
  return {
    baseModel: input.baseModel,
    template: {
      name: template?.name ?? "none",
      endOfTurn: template?.endOfTurn ?? "",
      supportsTools: template?.supportsTools ?? false,
    },
    tokenCount: { tokenizer: counter.name, exact: counter.exact },
    scanned: { trainRows: 0, evalRows: 0, capped: false },
    renderedExamples: [],
    eotTrained: false,
    truncated: { count: 0, of: 0, sequenceLen: input.sequenceLen, maxTokens: 0, lines: [] },
    leakage: { count: 0, lines: [] },
    findings: [],
  };
}

/**
 * Token count of a rendering as the model's tokenizer sees it: the template's added tokens are
 * one token each and are split out before the text between them is encoded, so counting the
 * text as a whole would turn every `<|eot_id|>` into several.
 */
function tokenCounting(template: ChatTemplate, counter: TokenCounter): (text: string) => number {
  const count = (t: string) => {
    try {
      return counter.count(t);
    } catch {
      // gpt-tokenizer refuses text holding its own special tokens (`<|endoftext|>` in a
      // message): count it with the markers broken up rather than lose the whole preflight.
      return counter.count(t.replaceAll("<|", "< |"));
    }
  };
  if (template.specialTokens.length === 0) return count;
  const split = new RegExp(template.specialTokens.map(escapeRegExp).join("|"), "g");
  return (text) => {
    let n = 0;
    let last = 0;
    for (const m of text.matchAll(split)) {
      if (m.index > last) n += count(text.slice(last, m.index));
      n++;
      last = m.index + m[0].length;
    }
    if (last < text.length) n += count(text.slice(last));
    return n;
  };
}

type TrainScan = Awaited<ReturnType<typeof scanTrain>>;

async function scanTrain(
  input: PreflightInput,
  renderer: ChatRenderer,
  countTokens: (text: string) => number,
) {
  const limit = input.scanLimit ?? PREFLIGHT_SCAN_LIMIT;
  const wanted = input.sampleCount ?? 3;
  const evalFraction = input.evalPath ? 0 : (input.evalSplit?.evalFraction ?? 0);
  const s = {
    rows: 0,
    capped: false,
    counted: 0,
    truncated: 0,
    truncatedLines: [] as number[],
    maxTokens: 0,
    samples: [] as RenderedExample[],
    unreadable: { count: 0, first: null } as Unreadable,
    renderFailures: new Map() as RenderFailures,
    toolRows: { count: 0, first: 0 },
    /** Rows checked turn by turn as the trainer places its loss, and those that fail it. */
    turnsChecked: 0,
    mismatch: {
      turn: { count: 0, first: 0, messageIndex: 0 },
      prompt: { count: 0, first: 0, messageIndex: 0 },
    },
    noAssistant: { count: 0, first: 0 },
    /** Messages hash → first training line (training side of the split only). */
    trainHashes: new Map<number, number>(),
    /** [hash, line] of rows on the eval side of the split. */
    evalSide: [] as [number, number][],
  };
  const noToolFormat = !renderer.template.supportsTools;
  s.capped = await eachRow(input, input.trainPath, limit, s.unreadable, (row) => {
    s.rows++;
    const hash = exampleHash(row.example.messages);
    if (evalFraction > 0 && splitOf(hashString(row.text), evalFraction) === "eval") {
      s.evalSide.push([hash, row.line]);
    } else if (!s.trainHashes.has(hash)) s.trainHashes.set(hash, row.line);
    if (noToolFormat && hasTools(row.example)) note(s.toolRows, row.line);
    if (!row.example.messages.some((m) => m.role === "assistant")) note(s.noAssistant, row.line);

    let text: string;
    try {
      text = renderer.render({ ...row.example, addGenerationPrompt: false });
    } catch (e) {
      failure(s.renderFailures, e, row.line);
      return;
    }
    if (s.turnsChecked < TURN_CHECK_ROWS) {
      s.turnsChecked++;
      try {
        const m = renderer.turnMismatch(row.example, text);
        const tally = m && s.mismatch[m.kind];
        if (tally && tally.count++ === 0) {
          tally.first = row.line;
          tally.messageIndex = m.messageIndex;
        }
      } catch (e) {
        failure(s.renderFailures, e, row.line);
      }
    }
    const tokens = countTokens(text);
    s.counted++;
    if (tokens > s.maxTokens) s.maxTokens = tokens;
    if (tokens > input.sequenceLen) {
      s.truncated++;
      if (s.truncatedLines.length < LISTED) s.truncatedLines.push(row.line);
    }
    if (s.samples.length < wanted) {
      try {
        const { spans } = renderer.assistantSpans(row.example);
        s.samples.push({ line: row.line, text, assistantSpans: spans, tokens });
      } catch (e) {
        failure(s.renderFailures, e, row.line);
      }
    }
  });
  return s;
}

async function scanEvalFile(input: PreflightInput, trainHashes: Map<number, number>) {
  const limit = input.scanLimit ?? PREFLIGHT_SCAN_LIMIT;
  const out = newLeakage();
  out.capped = await eachRow(input, input.evalPath!, limit, out.unreadable, (row) => {
    out.rows++;
    const trainLine = trainHashes.get(exampleHash(row.example.messages));
    if (trainLine !== undefined) leaked(out, trainLine, row.line);
  });
  return out;
}

function leakageWithinSplit(trainHashes: Map<number, number>, evalSide: [number, number][]) {
  const out = newLeakage();
  out.rows = evalSide.length;
  for (const [hash, line] of evalSide) {
    const trainLine = trainHashes.get(hash);
    if (trainLine !== undefined) leaked(out, trainLine, line);
  }
  return out;
}

type LeakScan = ReturnType<typeof newLeakage>;

function newLeakage() {
  return {
    rows: 0,
    capped: false,
    count: 0,
    pairs: [] as { trainLine: number; evalLine: number }[],
    unreadable: { count: 0, first: null } as Unreadable,
  };
}

function leaked(out: LeakScan, trainLine: number, evalLine: number) {
  out.count++;
  if (out.pairs.length < LISTED) out.pairs.push({ trainLine, evalLine });
}

/**
 * Calls `onRow` with each readable chat row of a file, up to `limit` rows; resolves true when
 * the limit stopped the read. Rows that are not chat examples are counted in `unreadable`.
 */
async function eachRow(
  input: PreflightInput,
  file: string,
  limit: number,
  unreadable: Unreadable,
  onRow: (row: Row) => void,
): Promise<boolean> {
  let seen = 0;
  let capped = false;
  const maxLineBytes = input.maxLineBytes ?? env().DATASET_MAX_LINE_BYTES;
  const onLine = (l: Line) => {
    if (l.kind === "blank") return;
    if (seen === limit) {
      capped = true;
      return false;
    }
    seen++;
    if (l.kind !== "text") {
      const why = l.kind === "too_long" ? `longer than ${maxLineBytes} bytes` : "not UTF-8";
      return void skip(unreadable, l.line, why);
    }
    const example = readExample(l.text, l.line);
    if (typeof example === "string") return void skip(unreadable, l.line, example);
    onRow({ line: l.line, text: l.text, example });
  };
  await readLines(file, onLine, {
    compressed: await isGzip(file),
    maxLineBytes,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  return capped;
}

/** The row as a chat example, or why it is not one. */
function readExample(text: string, line: number): ChatExample | string {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) return "not a JSON object";
  const r = row as Record<string, unknown>;
  if (Array.isArray(r.messages)) {
    const ok = r.messages.every(
      (m) =>
        typeof m === "object" && m !== null && typeof (m as { role?: unknown }).role === "string",
    );
    if (!ok) return "a message without a string role";
    return { messages: r.messages as ChatExample["messages"], tools: toolList(r.tools) };
  }
  if (Array.isArray(r.conversations)) {
    const converted = convertShareGpt(r, line, [] as Finding[]);
    if (!converted) return "a ShareGPT row that does not convert to chat";
    return { messages: converted.messages, tools: converted.tools };
  }
  return "not a chat row (no messages)";
}

function toolList(tools: unknown): unknown[] | null {
  return Array.isArray(tools) && tools.length > 0 ? tools : null;
}

function hasTools(example: ChatExample): boolean {
  if (example.tools && example.tools.length > 0) return true;
  return example.messages.some(
    (m) => m.role === "tool" || (Array.isArray(m.tool_calls) && m.tool_calls.length > 0),
  );
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await fh.close();
  }
}

function skip(u: Unreadable, line: number, reason: string) {
  u.count++;
  u.first ??= { line, reason };
}

function note(tally: { count: number; first: number }, line: number) {
  if (tally.count++ === 0) tally.first = line;
}

function failure(failures: RenderFailures, e: unknown, line: number) {
  const message = e instanceof Error ? e.message : String(e);
  let f = failures.get(message);
  if (!f) {
    if (failures.size >= RENDER_ERRORS_KEPT) f = failures.get(OTHER);
    if (!f) {
      f = { count: 0, lines: [] };
      failures.set(failures.size >= RENDER_ERRORS_KEPT ? OTHER : message, f);
    }
  }
  f.count++;
  if (f.lines.length < LISTED) f.lines.push(line);
}
const OTHER = "other errors";

/** Every assistant span of every rendered example holds the end-of-turn token. */
function eotTrained(samples: RenderedExample[]): boolean {
  if (samples.length === 0) return false;
  return samples.every(
    (s) => s.assistantSpans.length > 0 && s.assistantSpans.every((a) => a.containsEndOfTurn),
  );
}

function findings(
  input: PreflightInput,
  template: ChatTemplate,
  counter: TokenCounter,
  scan: TrainScan,
  leak: LeakScan,
  report: Preflight,
): PreflightFinding[] {
  const out: PreflightFinding[] = [];
  const add = (
    severity: PreflightFinding["severity"],
    code: PreflightFinding["code"],
    message: string,
  ) => out.push({ severity, code, message });
  const t = template.name;

  if (scan.rows === 0) {
    add("error", "empty_dataset", "the training file has no chat examples to render");
  }
  for (const [message, f] of scan.renderFailures) {
    add(
      "error",
      "render_failed",
      `${plural(f.count, "example")} cannot be rendered with the ${t} chat template (${lineList(f.lines, f.count)}): ${message}. The trainer skips them; fix or drop these rows`,
    );
  }
  const checked = scan.turnsChecked;
  const { turn, prompt } = scan.mismatch;
  if (turn.count > 0) {
    add(
      turn.count === checked ? "error" : "warning",
      "turn_mismatch",
      `${turn.count} of the first ${checked} examples would be skipped by the trainer: the ${t} template renders the conversation cut after an assistant turn differently from the whole conversation, so that turn's loss cannot be placed (first: line ${turn.first}, assistant message ${turn.messageIndex}). ${MISMATCH_HINT[template.id] ?? ""}`.trimEnd(),
    );
  }
  if (prompt.count > 0) {
    add(
      prompt.count === checked ? "error" : "warning",
      "prompt_mismatch",
      `in ${prompt.count} of the first ${checked} examples the trainer would put loss on prompt text: the ${t} template renders the prompt before an assistant turn differently from the same place in the whole conversation, so the trained span starts inside the prompt (first: line ${prompt.first}, assistant message ${prompt.messageIndex}). ${MISMATCH_HINT[template.id] ?? ""}`.trimEnd(),
    );
  }
  const noEot = report.renderedExamples.filter((s) =>
    s.assistantSpans.some((a) => !a.containsEndOfTurn),
  );
  if (noEot.length > 0) {
    add(
      "error",
      "eot_not_trained",
      `the end-of-turn token ${template.endOfTurn} is outside the trained span of an assistant turn (line ${noEot.map((s) => s.line).join(", ")}): the model would never learn to stop`,
    );
  }
  if (scan.noAssistant.count > 0) {
    add(
      "warning",
      "no_assistant_turns",
      `${plural(scan.noAssistant.count, "example")} (first at line ${scan.noAssistant.first}) ${verb(scan.noAssistant.count, "has", "have")} no assistant turn: there is nothing to train on, and the trainer skips such rows`,
    );
  }
  if (scan.truncated > 0) {
    const pct = ((100 * scan.truncated) / Math.max(1, scan.counted)).toFixed(1);
    add(
      "warning",
      "truncated",
      `${scan.truncated} of ${scan.counted} examples (${pct}%) are longer than sequenceLen ${input.sequenceLen} tokens (longest ${scan.maxTokens}); the trainer cuts their ends, final assistant turn and end-of-turn token included (${lineList(scan.truncatedLines, scan.truncated)}). Raise sequenceLen or shorten these examples`,
    );
  }
  if (leak.count > 0) {
    const first = leak.pairs[0]!;
    const where = input.evalPath ? "eval file" : "eval split";
    add(
      "warning",
      "leakage",
      `${plural(leak.count, "eval example")} also ${verb(leak.count, "occurs", "occur")} in the training set (same messages; first: ${where} line ${first.evalLine} = training line ${first.trainLine}): eval loss on them measures memorization, not generalization`,
    );
  }
  if (scan.toolRows.count > 0) {
    add(
      "warning",
      "tools_unsupported",
      `${plural(scan.toolRows.count, "example")} (first at line ${scan.toolRows.first}) ${verb(scan.toolRows.count, "uses", "use")} tools, but the ${t} chat template has no tool format: tool definitions are dropped and tool turns are rendered as plain text or fail`,
    );
  }
  const unreadable = scan.unreadable.count + leak.unreadable.count;
  if (unreadable > 0) {
    const first = scan.unreadable.first ?? leak.unreadable.first!;
    const where = scan.unreadable.first ? "training" : "eval";
    add(
      "warning",
      "unreadable_rows",
      `${plural(unreadable, "row")} ${verb(unreadable, "is not a chat example and was", "are not chat examples and were")} skipped (first: ${where} line ${first.line}, ${first.reason}); the dataset validation report has the details`,
    );
  }
  if (!counter.exact) {
    add(
      "info",
      "token_count_estimated",
      `${input.baseModel} has no tokenizer in retune; token counts are ${counter.name} estimates, so the truncation count is approximate`,
    );
  }
  if (scan.capped || leak.capped) {
    const limit = input.scanLimit ?? PREFLIGHT_SCAN_LIMIT;
    add(
      "info",
      "scan_capped",
      `only the first ${limit} rows of ${scan.capped && leak.capped ? "each file" : scan.capped ? "the training file" : "the eval file"} were checked; counts cover those rows`,
    );
  }
  return out;
}

/** Why a template's turns stop lining up, where it is known. */
const MISMATCH_HINT: Partial<Record<ChatTemplate["id"], string>> = {
  "phi-3":
    "Phi-3's template ends a conversation with eos_token, so only single-turn examples line up; split multi-turn conversations into one example per assistant turn",
  "mistral-v0.3":
    "Mistral's template writes the system prompt only into a final user turn (a prompt, never a training conversation) and the tool list before the last user turn: fold the system message into the first user turn, and split multi-turn conversations with tools into one example per assistant turn",
};

function lineList(lines: number[], count: number): string {
  const head = `line${lines.length > 1 ? "s" : ""} ${lines.join(", ")}`;
  return count > lines.length ? `${head}, …` : head;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function verb(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
