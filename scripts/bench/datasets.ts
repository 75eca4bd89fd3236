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
import { analyzeFile } from "@/lib/server/dataset-analysis";
import { generateToolJsonl } from "./generate-tool-jsonl";

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

const base = await timed(() => baseline(file));
const ours = await timed(() =>
  analyzeFile(file, {
    compressed: false,
    declaredFormat: "auto",
    baseModel: "meta-llama/Llama-3.1-8B-Instruct",
    provenance: null,
    evalFraction: 0.1,
  }),
);
const rows = base.value;
const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const line = (name: string, s: number, rss: number) =>
  `${name.padEnd(46)} ${fmt(MB / s).padStart(8)} MB/s ${fmt(rows / s, 0).padStart(10)} rows/s   peak RSS ${fmt(rss / 2 ** 20, 0).padStart(5)} MiB`;

console.log(`\nfile: ${fmt(MB)} MB, ${rows.toLocaleString()} rows (${path.basename(file)})`);
console.log(line("baseline: split lines + JSON.parse", base.seconds, base.peakRss));
console.log(line("retune validator (all rules + Llama 3 tokens)", ours.seconds, ours.peakRss));
const a = ours.value;
console.log(
  `\nvalidator / baseline throughput: ${fmt((100 * base.seconds) / ours.seconds)} %  (target ≥ 50 %)` +
    `\nvalidator peak RSS: ${fmt(ours.peakRss / 2 ** 20, 0)} MiB  (target < 300 MiB)` +
    `\nchecked: ${a.stats.rows.toLocaleString()} rows, ${a.stats.validRows.toLocaleString()} valid, ` +
    `${a.stats.tokens.total.toLocaleString()} tokens (${a.stats.tokens.tokenizer}, exact=${a.stats.tokens.exact}), ` +
    `${
      Object.entries(a.report.countsByCode)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ") || "no findings"
    }`,
);
