/**
 * npm run bench:datasets [-- <MB>]
 * Generates a deterministic tool-calling JSONL (default ~1 GB; cached in the OS temp folder) and
 * prints, from one process: the full validator's MB/s, rows/s and peak RSS next to a baseline of
 * plain line splitting + JSON.parse over the same file.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyzeFile } from "@/lib/server/datasets/analysis";
import {
  analyzeFileParallel,
  analyzerThreads,
  prepareParallelAnalyzer,
} from "@/lib/server/datasets/analysis-parallel";
import { generateToolJsonl } from "@/test/fixtures/tool-call-rows";

const mb = Number(process.argv[2] ?? process.env.BENCH_MB ?? 1000);
const dir = path.join(tmpdir(), "retune-bench");
const file = path.join(dir, `tools-${mb}mb-seed42.jsonl`);

function rssSampler() {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return () => {
    clearInterval(t);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

/** Baseline: 1 MiB chunks, split on \n with Buffer.indexOf, JSON.parse each line. */
async function baseline(p: string) {
  let rows = 0;
  let rest = "";
  for await (const chunk of createReadStream(p, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    let pos = 0;
    let nl: number;
    while ((nl = chunk.indexOf(10, pos)) !== -1) {
      const text = rest + chunk.toString("utf8", pos, nl);
      rest = "";
      if (text.length) {
        JSON.parse(text);
        rows++;
      }
      pos = nl + 1;
    }
    rest += chunk.toString("utf8", pos);
  }
  if (rest.trim()) {
    JSON.parse(rest);
    rows++;
  }
  return rows;
}

async function timed<T>(fn: () => Promise<T>) {
  (globalThis as { gc?: () => void }).gc?.();
  const stop = rssSampler();
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  return { value, seconds, peakRss: stop() };
}

await mkdir(dir, { recursive: true });
if (!existsSync(file)) {
  process.stdout.write(`generating ${mb} MB of tool-calling JSONL at ${file} … `);
  const g = await generateToolJsonl(file, mb * 1e6);
  console.log(`${g.rows} rows`);
}
const bytes = statSync(file).size;
const MB = bytes / 1e6;

const analyzeOpts = {
  compressed: false,
  declaredFormat: "auto",
  baseModel: "meta-llama/Llama-3.1-8B-Instruct",
  provenance: null,
  evalFraction: 0.1,
};
const threads = analyzerThreads();
await prepareParallelAnalyzer(); // the worker bundle is built once per process, not per file
// The production path runs first, so its peak RSS is not inflated by heap the other phases
// leave behind (V8 rarely returns freed memory to the OS within a process).
const par = await timed(() => analyzeFileParallel(file, analyzeOpts, threads));
const base = await timed(() => baseline(file));
const seq = await timed(() => analyzeFile(file, analyzeOpts));
const rows = base.value;
const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const line = (name: string, s: number, rss: number) =>
  `${name.padEnd(52)} ${fmt(MB / s).padStart(8)} MB/s ${fmt(rows / s, 0).padStart(10)} rows/s   peak RSS ${fmt(rss / 2 ** 20, 0).padStart(5)} MiB`;

console.log(
  `\nfile: ${fmt(MB)} MB, ${rows.toLocaleString()} rows (${path.basename(file)}), ${threads} analyzer threads`,
);
console.log(line("baseline: split lines + JSON.parse (1 thread)", base.seconds, base.peakRss));
console.log(
  line(`retune validator, ${threads} threads (what the worker runs)`, par.seconds, par.peakRss),
);
console.log(
  line(
    "retune validator, 1 thread (files under 32 MiB; RSS after the others)",
    seq.seconds,
    seq.peakRss,
  ),
);
const a = par.value;
const same =
  JSON.stringify(a.stats) === JSON.stringify(seq.value.stats) &&
  JSON.stringify(a.report) === JSON.stringify(seq.value.report);
console.log(
  `\nvalidator / baseline throughput: ${fmt((100 * base.seconds) / par.seconds)} %  (target ≥ 50 %; 1 thread: ${fmt((100 * base.seconds) / seq.seconds)} %)` +
    `\nvalidator peak RSS: ${fmt(par.peakRss / 2 ** 20, 0)} MiB  (target < 300 MiB)` +
    `\nparallel and single-thread results identical: ${same}` +
    `\nchecked: ${a.stats.rows.toLocaleString()} rows, ${a.stats.validRows.toLocaleString()} valid, ` +
    `${a.stats.tokens.total.toLocaleString()} tokens (${a.stats.tokens.tokenizer}, exact=${a.stats.tokens.exact}), ` +
    `${
      Object.entries(a.report.countsByCode)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ") || "no findings"
    }`,
);
if (!same) process.exitCode = 1;
