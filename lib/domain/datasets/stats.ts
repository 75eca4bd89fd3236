import type { DatasetStats, Finding, InputFormat, Provenance } from "@/lib/schemas/datasets";
import { evalBuckets } from "./example-hash";
import { finding } from "./finding";
import type { ExampleResult } from "./validate-example";

/** Beyond this many distinct tool names (or sources) the rest are counted under one key. */
const MAX_TOOL_NAMES = 1000;
const MAX_SOURCES = 100;
const MAX_SOURCE_LENGTH = 100;
export const OTHER_TOOLS = "(other tools)";
export const OTHER_SOURCES = "(other sources)";
const MAX_U32 = 0xffffffff;

export type StatsSnapshot = {
  validRows: number;
  tokens: Uint32Array;
  tokenTotal: number;
  assistantTotal: number;
  tokenMax: number;
  turnsTotal: number;
  turnsMax: number;
  withToolCalls: number;
  toolCounts: Map<string, number>;
  provenance: Map<string, number>;
  histogram: number[];
  splitBuckets: Uint32Array;
};

export type FinalizeOptions = {
  tokenizer: string;
  /** true when counted with the base model family's own tokenizer; false: an estimate. */
  exact: boolean;
  sourceFormat: InputFormat | null;
  evalFraction: number;
};

/**
 * Dataset statistics gathered in one streaming pass, in memory that grows by 4 bytes per valid row
 * (the token counts the percentiles need) plus fixed-size tables. Call addBlank() for a blank
 * line, addRow() for every other line, and add() once more for each row that passed validation.
 */
export class DatasetStatsAccumulator {
  private rows = 0;
  private validRows = 0;
  private blankLines = 0;
  private tokens = new Uint32Array(1024);
  private tokenTotal = 0;
  private assistantTotal = 0;
  private tokenMax = 0;
  private turnsTotal = 0;
  private turnsMax = 0;
  private withToolCalls = 0;
  private readonly toolCounts = new Map<string, number>();
  private readonly provenance = new Map<string, number>();
  /** histogram[k]: examples of at most 64·2^k tokens (and more than half that). */
  private readonly histogram: number[] = [];
  /** Valid rows per hash bucket (hash mod 10000): the split for any evalFraction, in 40 KB. */
  private readonly splitBuckets = new Uint32Array(10000);

  addBlank(): void {
    this.blankLines++;
  }

  /** Every non-blank line, valid or not. */
  addRow(): void {
    this.rows++;
  }

  /**
   * A row that passed validation (its result has an example and token counts). `hash` decides its
   * split (splitOf); `provenanceDeclared` is the upload's, used when the row has no source.
   */
  add(result: ExampleResult, hash: number, provenanceDeclared: Provenance | null): void {
    const example = result.example;
    const tokens = result.tokens;
    if (!example || !tokens) {
      throw new Error("DatasetStatsAccumulator.add takes valid rows only (example and tokens)");
    }
    const n = this.validRows++;
    if (n === this.tokens.length) {
      const grown = new Uint32Array(this.tokens.length * 2);
      grown.set(this.tokens);
      this.tokens = grown;
    }
    const total = Math.min(tokens.total, MAX_U32);
    this.tokens[n] = total;
    this.tokenTotal += tokens.total;
    this.assistantTotal += tokens.assistant;
    if (total > this.tokenMax) this.tokenMax = total;
    const k = bucketOf(total);
    while (this.histogram.length <= k) this.histogram.push(0);
    this.histogram[k]!++;

    let turns: number;
    if (example.kind === "chat") {
      turns = 0;
      let calls = 0;
      for (const m of example.messages) {
        if (m.role !== "system") turns++;
        if (!m.tool_calls) continue;
        for (const call of m.tool_calls) {
          calls++;
          bump(this.toolCounts, call.function.name, MAX_TOOL_NAMES, OTHER_TOOLS);
        }
      }
      if (calls > 0) this.withToolCalls++;
    } else {
      turns = 2;
    }
    this.turnsTotal += turns;
    if (turns > this.turnsMax) this.turnsMax = turns;

    const source = example.source?.slice(0, MAX_SOURCE_LENGTH) ?? provenanceDeclared ?? "unknown";
    bump(this.provenance, source, MAX_SOURCES, OTHER_SOURCES);
    this.splitBuckets[hash % 10000]!++;
  }

  /**
   * Everything add() gathered, as structured-clone-friendly data, so accumulators filled in
   * parallel (one per worker thread) can be combined with absorb().
   */
  snapshot(): StatsSnapshot {
    return {
      validRows: this.validRows,
      tokens: this.tokens.slice(0, this.validRows),
      tokenTotal: this.tokenTotal,
      assistantTotal: this.assistantTotal,
      tokenMax: this.tokenMax,
      turnsTotal: this.turnsTotal,
      turnsMax: this.turnsMax,
      withToolCalls: this.withToolCalls,
      toolCounts: new Map(this.toolCounts),
      provenance: new Map(this.provenance),
      histogram: [...this.histogram],
      splitBuckets: this.splitBuckets.slice(),
    };
  }

  /** Adds another accumulator's valid rows (rows and blank lines are counted by the caller). */
  absorb(o: StatsSnapshot): void {
    const need = this.validRows + o.validRows;
    if (need > this.tokens.length) {
      const grown = new Uint32Array(Math.max(need, this.tokens.length * 2));
      grown.set(this.tokens.subarray(0, this.validRows));
      this.tokens = grown;
    }
    this.tokens.set(o.tokens, this.validRows);
    this.validRows = need;
    this.tokenTotal += o.tokenTotal;
    this.assistantTotal += o.assistantTotal;
    this.tokenMax = Math.max(this.tokenMax, o.tokenMax);
    this.turnsTotal += o.turnsTotal;
    this.turnsMax = Math.max(this.turnsMax, o.turnsMax);
    this.withToolCalls += o.withToolCalls;
    for (const [k, c] of o.toolCounts) bumpBy(this.toolCounts, k, c, MAX_TOOL_NAMES, OTHER_TOOLS);
    for (const [k, c] of o.provenance) bumpBy(this.provenance, k, c, MAX_SOURCES, OTHER_SOURCES);
    o.histogram.forEach((c, k) => {
      while (this.histogram.length <= k) this.histogram.push(0);
      this.histogram[k]! += c;
    });
    for (let b = 0; b < 10000; b++) this.splitBuckets[b]! += o.splitBuckets[b]!;
  }

  /** The statistics so far, in lib/schemas/datasets statsSchema's shape. Can be called again. */
  finalize(opts: FinalizeOptions): DatasetStats {
    const n = this.validRows;
    const sorted = this.tokens.slice(0, n).sort();
    const threshold = evalBuckets(opts.evalFraction);
    let evalRows = 0;
    for (let b = 0; b < threshold; b++) evalRows += this.splitBuckets[b]!;
    return {
      rows: this.rows,
      validRows: n,
      blankLines: this.blankLines,
      sourceFormat: opts.sourceFormat,
      tokens: {
        total: this.tokenTotal,
        mean: n ? this.tokenTotal / n : 0,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        max: this.tokenMax,
        exact: opts.exact,
        tokenizer: opts.tokenizer,
      },
      assistantTokenShare: this.tokenTotal ? this.assistantTotal / this.tokenTotal : 0,
      turns: { mean: n ? this.turnsTotal / n : 0, max: this.turnsMax },
      toolCallShare: n ? this.withToolCalls / n : 0,
      // fromEntries defines own properties, so a tool named "__proto__" stays a plain key.
      toolCounts: Object.fromEntries(this.toolCounts),
      provenance: Object.fromEntries([...this.provenance].map(([k, c]) => [k, c / n])),
      lengthHistogram: this.histogram.map((count, k) => ({ upTo: 64 * 2 ** k, count })),
      split: { train: n - evalRows, eval: evalRows, evalFraction: opts.evalFraction },
    };
  }
}

/** Power-of-two length buckets from 64 tokens: 0 → ≤64, 1 → ≤128, 2 → ≤256, … */
export function bucketOf(tokens: number): number {
  if (tokens <= 64) return 0;
  return 32 - Math.clz32(tokens - 1) - 6;
}

/** Nearest-rank percentile of ascending values; 0 for none. */
function percentile(sorted: Uint32Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function bump(map: Map<string, number>, key: string, max: number, other: string): void {
  bumpBy(map, key, 1, max, other);
}

function bumpBy(
  map: Map<string, number>,
  key: string,
  by: number,
  max: number,
  other: string,
): void {
  const n = map.get(key);
  if (n !== undefined) map.set(key, n + by);
  else if (map.size < max) map.set(key, by);
  else map.set(other, (map.get(other) ?? 0) + by);
}

/**
 * Findings about the dataset as a whole (line null). A synthetic majority is a warning, not an
 * error: it can be deliberate, but production traces of the component's real inputs are the
 * better training data, since synthetic data teaches the generator's habits rather than the
 * traffic the model will serve.
 */
export function datasetFindings(stats: DatasetStats): Finding[] {
  const findings: Finding[] = [];
  const synthetic = stats.provenance.synthetic ?? 0;
  if (synthetic > 0.5) {
    findings.push(
      finding(
        null,
        "warning",
        "synthetic_majority",
        `${Math.round(synthetic * 100)}% of valid examples are synthetic; production traces of the component's real inputs are the better training data (synthetic data teaches the generator's habits, not your users' traffic)`,
      ),
    );
  }
  return findings;
}
