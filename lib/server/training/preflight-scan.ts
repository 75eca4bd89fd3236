/**
 * The preflight's reading side: one streaming pass over the training file (and the eval file, if
 * any) that renders each row with the base model's chat template, counts tokens and truncations,
 * checks turns the way the trainer places its loss, and keeps the hashes that find eval examples
 * which are also training examples. Rows that are not chat examples are counted, not thrown.
 */
import { open } from "node:fs/promises";
import { exampleHash, hashString, splitOf } from "@/lib/domain/datasets/example-hash";
import { convertShareGpt } from "@/lib/domain/datasets/sharegpt";
import type { Finding } from "@/lib/schemas/datasets";
import type { RenderedExample } from "@/lib/schemas/training-preflight";
import type { ChatExample, ChatRenderer } from "./chat-render";
import { env } from "@/lib/server/core/env";
import { GZIP_MAGIC, type Line, readLines } from "@/lib/server/datasets/jsonl-lines";

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

export type TrainScan = Awaited<ReturnType<typeof scanTrain>>;

export async function scanTrain(
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

export async function scanEvalFile(input: PreflightInput, trainHashes: Map<number, number>) {
  const limit = input.scanLimit ?? PREFLIGHT_SCAN_LIMIT;
  const out = newLeakage();
  out.capped = await eachRow(input, input.evalPath!, limit, out.unreadable, (row) => {
    out.rows++;
    const trainLine = trainHashes.get(exampleHash(row.example.messages));
    if (trainLine !== undefined) leaked(out, trainLine, row.line);
  });
  return out;
}

export function leakageWithinSplit(trainHashes: Map<number, number>, evalSide: [number, number][]) {
  const out = newLeakage();
  out.rows = evalSide.length;
  for (const [hash, line] of evalSide) {
    const trainLine = trainHashes.get(hash);
    if (trainLine !== undefined) leaked(out, trainLine, line);
  }
  return out;
}

export type LeakScan = ReturnType<typeof newLeakage>;

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
