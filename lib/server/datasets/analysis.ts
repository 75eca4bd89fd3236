/**
 * One streaming pass over a JSONL file: per-line findings, statistics, duplicates and the
 * sparse line index — no database, so the validator, the preview and the benchmark share it.
 */
import { DEFAULT_BASE_MODEL, findBaseModel } from "@/lib/domain/base-models";
import { DuplicateTracker, duplicateFinding } from "@/lib/domain/datasets/duplicates";
import { hashString } from "@/lib/domain/datasets/example-hash";
import { splitKey } from "@/lib/domain/datasets/split";
import { FindingsCollector } from "@/lib/domain/datasets/findings-collector";
import { DatasetStatsAccumulator, datasetFindings } from "@/lib/domain/datasets/stats";
import {
  type ExampleContext,
  type ExampleResult,
  validateExample,
} from "@/lib/domain/datasets/validate-example";
import type {
  DatasetStats,
  Finding,
  InputFormat,
  Provenance,
  Report,
} from "@/lib/schemas/datasets";
import { INDEX_EVERY } from "./sidecars";
import { env } from "@/lib/server/core/env";
import { type Line, readLines } from "./jsonl-lines";
import { tokenCounterFor } from "./tokenizers";
import { createArgumentChecker } from "./tool-schemas";

export type CheckedLine = {
  findings: Finding[];
  result: ExampleResult | null;
  text: string | null;
};

/** Findings for lines that could not be read as text (no tokenizer needed). */
export function readErrorFinding(line: Line): Finding | null {
  if (line.kind === "invalid_utf8") {
    return {
      line: line.line,
      severity: "error",
      code: "invalid_utf8",
      message: `line ${line.line} is not valid UTF-8 (${line.bytes} bytes); re-save the file as UTF-8`,
    };
  }
  if (line.kind === "too_long") {
    const max = env().DATASET_MAX_LINE_BYTES;
    return {
      line: line.line,
      severity: "error",
      code: "line_too_long",
      message: `line ${line.line} is ${line.bytes} bytes, over the ${max}-byte limit (DATASET_MAX_LINE_BYTES); it was not read`,
    };
  }
  return null;
}

/** Everything that judges one line, built once per file (compiled schemas, token memo). */
export async function lineChecker(opts: { declaredFormat: string; baseModel: string | null }) {
  const model =
    findBaseModel(opts.baseModel ?? DEFAULT_BASE_MODEL) ?? findBaseModel(DEFAULT_BASE_MODEL)!;
  const counter = await tokenCounterFor(model);
  const ctx: ExampleContext = {
    line: 0,
    format: opts.declaredFormat as InputFormat | "auto",
    contextTokens: model.contextLength,
    countTokens: (t) => counter.count(t),
    checkArguments: createArgumentChecker(),
  };
  const checkText = (text: string, line: number): CheckedLine => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const message = `invalid JSON: ${(e as Error).message}`;
      return {
        findings: [{ line, severity: "error", code: "invalid_json", message }],
        result: null,
        text,
      };
    }
    ctx.line = line;
    const result = validateExample(value, ctx);
    return { findings: result.findings, result, text };
  };
  return {
    model,
    counter,
    checkText,
    check(line: Line): CheckedLine | null {
      if (line.kind === "blank") return null;
      if (line.kind === "text") return checkText(line.text, line.line);
      return { findings: [readErrorFinding(line)!], result: null, text: null };
    },
  };
}

export type AnalyzeOptions = {
  compressed: boolean;
  declaredFormat: string;
  baseModel: string | null;
  provenance: Provenance | null;
  evalFraction: number;
  signal?: AbortSignal;
  onProgress?: (storedBytesRead: number) => void;
};

export type Analysis = {
  stats: DatasetStats;
  report: Report;
  sourceFormat: InputFormat | null;
  errorLines: Uint32Array;
  lineIndex: Float64Array;
  storedBytesRead: number;
};

export async function analyzeFile(path: string, opts: AnalyzeOptions): Promise<Analysis> {
  const checker = await lineChecker(opts);
  const collector = new FindingsCollector();
  const duplicates = new DuplicateTracker();
  const stats = new DatasetStatsAccumulator();
  const index: number[] = [];
  const detected = new Map<InputFormat, number>();
  let storedBytesRead = 0;

  await readLines(
    path,
    (line) => {
      if ((line.line - 1) % INDEX_EVERY === 0) index.push(line.offset);
      if (line.kind === "blank") return stats.addBlank();
      stats.addRow();
      const checked = checker.check(line)!;
      let clean = true;
      for (const f of checked.findings) {
        collector.add(f);
        if (f.severity === "error") clean = false;
      }
      const r = checked.result;
      if (!clean || !r?.example) return;
      // Duplicates key on the line's bytes (identical rows, identical hash); the split on the
      // normalized example (lib/domain/datasets/split.ts), as training and evals read it.
      const hash = hashString(checked.text!);
      const first = duplicates.seen(hash, line.line);
      if (first !== null) collector.add(duplicateFinding(line.line, first));
      if (r.detected) detected.set(r.detected, (detected.get(r.detected) ?? 0) + 1);
      stats.add(r, splitKey(r.example), opts.provenance);
    },
    {
      compressed: opts.compressed,
      maxLineBytes: env().DATASET_MAX_LINE_BYTES,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (bytes) => {
        storedBytesRead = bytes;
        opts.onProgress?.(bytes);
      },
    },
  );

  return finishAnalysis(
    { stats, collector, detected, index, counter: checker.counter, storedBytesRead },
    opts.evalFraction,
  );
}

/** The end of a pass, shared by the single- and multi-thread analyzers. */
export function finishAnalysis(
  pass: {
    stats: DatasetStatsAccumulator;
    collector: FindingsCollector;
    detected: Map<InputFormat, number>;
    index: number[];
    counter: { name: string; exact: boolean };
    storedBytesRead: number;
  },
  evalFraction: number,
): Analysis {
  const sourceFormat = [...pass.detected.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const stats = pass.stats.finalize({
    tokenizer: pass.counter.name,
    exact: pass.counter.exact,
    sourceFormat,
    evalFraction,
  });
  pass.collector.addAll(datasetFindings(stats));
  return {
    stats,
    report: pass.collector.report(),
    sourceFormat,
    errorLines: pass.collector.errorLineNumbers(),
    lineIndex: Float64Array.from(pass.index),
    storedBytesRead: pass.storedBytesRead,
  };
}
