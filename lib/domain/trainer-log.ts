import { z } from "zod";

/**
 * Parsing of a trainer's stdout, one line at a time (docs/architecture.md, "Training"). Two kinds of line matter:
 *
 * - Hugging Face Trainer log dicts, printed as Python reprs. transformers 4 prints plain numbers
 *   (`{'loss': 1.2345, 'grad_norm': 0.53, 'learning_rate': 0.0002, 'epoch': 0.05}`); transformers
 *   5 pre-formats floats as quoted strings (`{'loss': '4.864', 'epoch': '0.125'}`). retune's
 *   trainers/sft.py adds `'step': N`; other trainers (Axolotl) may not, and then step is null.
 * - `[retune] {json}` lines: structured events from trainers/sft.py and trainers/generate.py.
 *
 * Everything else (warnings, tracebacks, tqdm bars, partial lines) is null. The parser never
 * throws and is linear in the line length: it runs on every line of every run.
 */

export type TrainerMetricsLine = {
  kind: "metrics";
  /** The global optimizer step, when the line carries one (`'step': N`). */
  step: number | null;
  /**
   * Every numeric value of the dict except `step`, by its key (`loss`, `eval_loss`,
   * `learning_rate`, `train_runtime`, `memory/max_allocated (GiB)`, ...). NaN and ±Infinity are
   * kept (a diverged loss is worth showing); strings, booleans and None are dropped.
   */
  values: Record<string, number>;
};

const trainBeginEventSchema = z.object({
  event: z.literal("train_begin"),
  /** Total optimizer steps of the run. */
  max_steps: z.number().int().nonnegative(),
  /** The step the run resumed from; 0 on a fresh start. */
  resume_step: z.number().int().nonnegative(),
  train_examples: z.number().int().nonnegative(),
  eval_examples: z.number().int().nonnegative(),
  /** Rows that could not be rendered with the chat template (or were not JSON). */
  skipped: z.number().int().nonnegative(),
  /** torch's intra-op threads (OMP_NUM_THREADS; the host's cap for LOCAL runs). */
  cpu_threads: z.number().int().positive().optional(),
});

const checkpointEventSchema = z.object({
  event: z.literal("checkpoint"),
  /** `checkpoint-<step>/` is complete in the output directory. */
  step: z.number().int().nonnegative(),
});

const doneEventSchema = z.object({
  event: z.literal("done"),
  /** Files in the output directory's root: the final adapter and its companions. */
  files: z.array(z.object({ name: z.string(), bytes: z.number().int().nonnegative() })),
});

const progressEventSchema = z.object({
  event: z.literal("progress"),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

/**
 * Why the trainer is about to exit non-zero, printed as its last `[retune]` line:
 * `input` — the spec, an argument or a data file is wrong (exit 2); `environment` — this host
 * cannot run the spec (exit 3: QLoRA without CUDA, Unsloth missing); `internal` — an unexpected
 * exception (exit 1). Older trainers and other tools may omit `kind`.
 */
export const TRAINER_ERROR_KINDS = ["input", "environment", "internal"] as const;
const errorEventSchema = z.object({
  event: z.literal("error"),
  kind: z.enum(TRAINER_ERROR_KINDS).optional(),
  message: z.string().min(1),
});

export const trainerEventSchema = z.discriminatedUnion("event", [
  trainBeginEventSchema,
  checkpointEventSchema,
  doneEventSchema,
  progressEventSchema,
  errorEventSchema,
]);
export type TrainerEvent = z.infer<typeof trainerEventSchema>;
export type TrainerErrorEvent = z.infer<typeof errorEventSchema>;

const REFUSED = "the trainer refused the spec: ";
const FAILED = "the trainer failed: ";
/** A job error headline is at most this long (the attempt's and job's `error` column). */
const MAX_HEADLINE = 2000;

/**
 * A failed job's error headline in the trainer's own words: a refusal (bad input, or a host
 * that cannot run it) or a crash, then the trainer's message.
 */
export function trainerErrorHeadline(e: TrainerErrorEvent): string {
  const lead = e.kind === "input" || e.kind === "environment" ? REFUSED : FAILED;
  return (lead + e.message.trim()).slice(0, MAX_HEADLINE);
}

/** Whether `error` is a headline from the trainer's own error event (trainerErrorHeadline). */
export function isTrainerHeadline(error: string | null | undefined): boolean {
  return !!error && (error.startsWith(REFUSED) || error.startsWith(FAILED));
}

export type TrainerEventLine = { kind: "event"; event: TrainerEvent };
export type TrainerLogLine = TrainerMetricsLine | TrainerEventLine;

const EVENT_PREFIX = "[retune] ";
const MAX_LINE = 64 * 1024;
// Docker / Kubernetes `timestamps=true` prefix: RFC 3339 and one space.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d) /;

/**
 * Parses one line of trainer output (without or with its trailing newline).
 * Returns metrics, a structured event, or null for anything else; never throws.
 */
export function parseTrainerLine(line: string): TrainerLogLine | null {
  try {
    if (typeof line !== "string" || line.length === 0 || line.length > MAX_LINE) return null;
    let s = line.trimEnd();
    // tqdm on a shared terminal stream rewrites its line with \r: the last segment is what shows.
    const cr = s.lastIndexOf("\r");
    if (cr >= 0) s = s.slice(cr + 1);
    s = s.trimStart();
    if (s.length === 0) return null;
    if (s.charCodeAt(0) === 0x32 /* "2" */ || s.charCodeAt(0) === 0x31 /* "1" */) {
      const ts = TIMESTAMP.exec(s);
      if (ts) s = s.slice(ts[0].length).trimStart();
    }
    const first = s.charCodeAt(0);
    if (first === 0x7b /* { */) return parseMetrics(s);
    if (first === 0x5b /* [ */ && s.startsWith(EVENT_PREFIX))
      return parseEvent(s.slice(EVENT_PREFIX.length));
    // stdout and stderr share one log: a progress bar without its newline can precede the line.
    const dict = s.indexOf("{'");
    if (dict > 0) return parseMetrics(s.slice(dict));
    const event = s.indexOf(EVENT_PREFIX + "{");
    if (event > 0) return parseEvent(s.slice(event + EVENT_PREFIX.length));
    return null;
  } catch {
    return null;
  }
}

function parseEvent(json: string): TrainerEventLine | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = trainerEventSchema.safeParse(raw);
  return parsed.success ? { kind: "event", event: parsed.data } : null;
}

// Keys that mark a dict as a Trainer log rather than any other dict a program might print.
const TRAINER_KEYS = new Set([
  "loss",
  "train_loss",
  "eval_loss",
  "learning_rate",
  "grad_norm",
  "epoch",
]);
const isTrainerKey = (k: string) =>
  TRAINER_KEYS.has(k) || k.startsWith("eval_") || k.startsWith("train_") || k.startsWith("test_");

function parseMetrics(s: string): TrainerMetricsLine | null {
  if (s.charCodeAt(s.length - 1) !== 0x7d /* } */) return null; // a partial line
  const entries = new PyDictScanner(s).dict();
  if (!entries) return null;
  const values: Record<string, number> = {};
  let step: number | null = null;
  let trainerLike = false;
  for (const [key, value] of entries) {
    if (value === null) continue;
    if (key === "step") {
      if (Number.isInteger(value) && value >= 0) step = value;
      continue;
    }
    if (key === "__proto__") continue;
    values[key] = value;
    if (isTrainerKey(key)) trainerLike = true;
  }
  return trainerLike ? { kind: "metrics", step, values } : null;
}

/** Numbers written as Python/NumPy reprs, bare or (transformers 5) quoted. */
function toNumber(text: string): number | null {
  const t = text.trim();
  switch (t) {
    case "nan":
    case "-nan":
    case "NaN":
      return Number.NaN;
    case "inf":
    case "+inf":
    case "Infinity":
      return Number.POSITIVE_INFINITY;
    case "-inf":
    case "-Infinity":
      return Number.NEGATIVE_INFINITY;
  }
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isNaN(n) ? null : n;
}

/**
 * A small scanner for the subset of Python repr that `print(dict)` produces: a flat dict of
 * string keys to numbers, strings, True/False/None, `nan`/`inf`, wrapped scalars such as
 * `tensor(0.53)` or `np.float64(0.85)`, and nested containers (skipped). Returns null on
 * anything else, including a truncated line.
 */
class PyDictScanner {
  private i = 0;
  constructor(private readonly s: string) {}

  dict(): [string, number | null][] | null {
    const out: [string, number | null][] = [];
    if (this.s[this.i] !== "{") return null;
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") return this.end(out);
    for (;;) {
      this.ws();
      const key = this.str();
      if (key === null) return null;
      this.ws();
      if (this.s[this.i] !== ":") return null;
      this.i++;
      this.ws();
      const value = this.value();
      if (value === undefined) return null;
      out.push([key, value]);
      this.ws();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "}") return this.end(out);
      return null;
    }
  }

  private end(out: [string, number | null][]) {
    this.i++;
    this.ws();
    return this.i === this.s.length ? out : null;
  }

  private ws() {
    while (this.i < this.s.length && (this.s[this.i] === " " || this.s[this.i] === "\t")) this.i++;
  }

  /** A Python string literal ('...' or "..."), escapes reduced to the escaped character. */
  private str(): string | null {
    const q = this.s[this.i];
    if (q !== "'" && q !== '"') return null;
    let j = this.i + 1;
    let out = "";
    let from = j;
    while (j < this.s.length) {
      const c = this.s[j];
      if (c === "\\") {
        out += this.s.slice(from, j);
        const e = this.s[j + 1];
        out += e === "n" ? "\n" : e === "t" ? "\t" : (e ?? "");
        j += 2;
        from = j;
        continue;
      }
      if (c === q) {
        out += this.s.slice(from, j);
        this.i = j + 1;
        return out;
      }
      j++;
    }
    return null;
  }

  /** number | null (a value that is not numeric) | undefined (malformed). */
  private value(): number | null | undefined {
    const c = this.s[this.i];
    if (c === "'" || c === '"') {
      const text = this.str();
      return text === null ? undefined : toNumber(text);
    }
    if (c === "{" || c === "[" || c === "(") return this.skipNested() ? null : undefined;
    // A bare token: number, nan/inf, True/False/None, or a call like tensor(0.5) / np.float64(1).
    const start = this.i;
    while (this.i < this.s.length && /[\w.+-]/.test(this.s[this.i]!)) this.i++;
    const token = this.s.slice(start, this.i);
    if (token.length === 0) return undefined;
    if (this.s[this.i] === "(") {
      const open = this.i;
      if (!this.skipNested()) return undefined;
      const inner = this.s.slice(open + 1, this.i - 1);
      const firstArg = inner.split(",")[0] ?? "";
      return toNumber(firstArg);
    }
    return toNumber(token);
  }

  /** Skips a balanced (), [] or {} group, strings inside included. */
  private skipNested(): boolean {
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === "'" || c === '"') {
        if (this.str() === null) return false;
        continue;
      }
      if (c === "{" || c === "[" || c === "(") depth++;
      else if (c === "}" || c === "]" || c === ")") {
        depth--;
        if (depth === 0) {
          this.i++;
          return true;
        }
        if (depth < 0) return false;
      }
      this.i++;
    }
    return false;
  }
}
