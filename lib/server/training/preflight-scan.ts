/**
 * The preflight's reading side: one streaming pass over the training file (and the eval file, if
 * any) that renders each row with the base model's chat template, counts tokens and truncations,
 * checks turns the way the trainer places its loss, and keeps the hashes that find eval examples
 * which are also training examples.
 *
 * It reads the rows the trainer gets (training/data.ts): each line goes through dataset
 * validation with the version's own settings, rows it rejects and prompt/completion rows are
 * counted as skipped, and the rest are rendered as normalized chat examples and split train/eval
 * by the dataset's one split (lib/domain/datasets/split.ts), so the scanned counts are the
 * dataset report's train/eval counts.
 */
import { open } from "node:fs/promises";
import { exampleHash } from "@/lib/domain/datasets/example-hash";
import { splitOfExample } from "@/lib/domain/datasets/split";
import type { NormalizedExample } from "@/lib/domain/datasets/types";
import type { RenderedExample } from "@/lib/schemas/training-preflight";
import type { ChatExample, ChatRenderer } from "./chat-render";
import { env } from "@/lib/server/core/env";
import { lineChecker } from "@/lib/server/datasets/analysis";
import { GZIP_MAGIC, type Line, readLines } from "@/lib/server/datasets/jsonl-lines";

/** How a dataset version was validated: its upload's declared format and base model. */
export type VersionValidation = { declaredFormat: string; baseModel: string | null };
/** An upload's defaults (format auto, tokens counted for the default base model). */
const UPLOAD_DEFAULTS: VersionValidation = { declaredFormat: "auto", baseModel: null };

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
  /**
   * The training (and eval) version's validation settings, so the scan accepts exactly the rows
   * validation accepted; default: an upload's defaults.
   */
  trainValidation?: VersionValidation;
  evalValidation?: VersionValidation;
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

type Row = { line: number; example: ChatExample; normalized: NormalizedExample };
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
    /** Chat rows validation accepted (both sides of the split). */
    rows: 0,
    /** Of those, rows on the training side of the split. */
    trainRows: 0,
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
  const validation = input.trainValidation ?? UPLOAD_DEFAULTS;
  s.capped = await eachRow(input, input.trainPath, validation, limit, s.unreadable, (row) => {
    s.rows++;
    const hash = exampleHash(row.example.messages);
    if (splitOfExample(row.normalized, evalFraction) === "eval") {
      s.evalSide.push([hash, row.line]);
    } else {
      s.trainRows++;
      if (!s.trainHashes.has(hash)) s.trainHashes.set(hash, row.line);
    }
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
  const validation = input.evalValidation ?? UPLOAD_DEFAULTS;
  out.capped = await eachRow(input, input.evalPath!, validation, limit, out.unreadable, (row) => {
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
 * Calls `onRow` with each chat row of a file that dataset validation accepts, normalized as the
 * trainer's files hold it, up to `limit` rows read; resolves true when the limit stopped the
 * read. Rejected rows and prompt/completion rows (the trainer trains chat rows only) are counted
 * in `unreadable`.
 */
async function eachRow(
  input: PreflightInput,
  file: string,
  validation: VersionValidation,
  limit: number,
  unreadable: Unreadable,
  onRow: (row: Row) => void,
): Promise<boolean> {
  let seen = 0;
  let capped = false;
  const maxLineBytes = input.maxLineBytes ?? env().DATASET_MAX_LINE_BYTES;
  const checker = await lineChecker(validation);
  const onLine = (l: Line) => {
    if (l.kind === "blank") return;
    if (seen === limit) {
      capped = true;
      return false;
    }
    seen++;
    const checked = checker.check(l);
    const example = checked?.result?.example;
    if (!example) {
      const error = checked?.findings.find((f) => f.severity === "error");
      return void skip(unreadable, l.line, error ? error.message : "rejected by validation");
    }
    if (example.kind !== "chat") {
      return void skip(unreadable, l.line, "a prompt/completion row, which the trainer skips");
    }
    onRow({
      line: l.line,
      example: { messages: example.messages, tools: example.tools.length ? example.tools : null },
      normalized: example,
    });
  };
  await readLines(file, onLine, {
    compressed: await isGzip(file),
    maxLineBytes,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  return capped;
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
