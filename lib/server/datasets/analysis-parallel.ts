/**
 * analyzeFile on several threads, for large files. This thread reads the file, cuts it into
 * blocks of whole lines and keeps everything that depends on line order (line numbers, the line
 * index, duplicates, which findings are kept per code); the blocks are checked in turn by this
 * thread and by worker threads, whose statistics are merged at the end.
 * The result is identical to analyzeFile's (the tests and the benchmark compare them).
 *
 * Workers run one esbuild bundle of dataset-analysis-worker.ts: plain JavaScript, so a worker
 * needs no TypeScript loader thread of its own, whichever way this process was started.
 */
import { randomUUID } from "node:crypto";
import { rename } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DuplicateTracker, duplicateFinding } from "@/lib/domain/datasets/duplicates";
import { FindingsCollector } from "@/lib/domain/datasets/findings-collector";
import { DatasetStatsAccumulator, type StatsSnapshot } from "@/lib/domain/datasets/stats";
import type { InputFormat } from "@/lib/schemas/datasets";
import {
  type Analysis,
  type AnalyzeOptions,
  finishAnalysis,
  lineChecker,
  readErrorFinding,
} from "./analysis";
import { type BlockInit, type BlockResult, blockChecker } from "./block-check";
import { INDEX_EVERY } from "./sidecars";
import { env } from "@/lib/server/core/env";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";

const IN_FLIGHT_PER_WORKER = 2;
const CHUNK_BYTES = 1 << 19;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..", "..");

export function analyzerThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

let bundled: Promise<string> | undefined;

/** Bundles the worker once per process, next to the other generated files. */
export function prepareParallelAnalyzer(): Promise<string> {
  return workerBundle();
}

function workerBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import("esbuild");
    const out = path.join(root, "lib", "server", "generated", "analysis-worker.mjs");
    const tmp = `${out}.${randomUUID()}.tmp`;
    await build({
      entryPoints: [path.join(here, "analysis-worker.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: tmp,
      alias: { "@": root },
      logLevel: "error",
      // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
      banner: {
        js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
      },
    });
    await rename(tmp, out);
    return out;
  })();
  return bundled;
}

type StatsMessage = { type: "stats"; snapshot: StatsSnapshot; tokenizer: string; exact: boolean };

export async function analyzeFileParallel(
  path_: string,
  opts: AnalyzeOptions,
  threads = analyzerThreads(),
): Promise<Analysis> {
  const maxLineBytes = env().DATASET_MAX_LINE_BYTES;
  const init: BlockInit = {
    declaredFormat: opts.declaredFormat,
    baseModel: opts.baseModel,
    provenance: opts.provenance,
    maxLineBytes,
  };
  const bundle = await workerBundle();
  // A worker's heap holds the tokenizer (~30 MB), memos and one batch in flight; capping the
  // young generation makes it collect often instead of growing towards V8's defaults, which is
  // what keeps the whole process under its memory budget.
  // This thread checks every `threads`-th block itself; the others go to threads - 1 workers.
  const workers = Array.from(
    { length: threads - 1 },
    () =>
      new Worker(bundle, {
        workerData: init,
        resourceLimits: { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 192 },
      }),
  );
  const collector = new FindingsCollector();
  const duplicates = new DuplicateTracker();
  const stats = new DatasetStatsAccumulator();
  const index: number[] = [];
  const detected = new Map<InputFormat, number>();
  const pending = new Map<number, BlockResult>();
  let merged = 0;
  let sent = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const waitForProgress = () => new Promise<void>((r) => (wake = r));

  const merge = (r: BlockResult) => {
    for (let i = 0; i < r.rows; i++) stats.addRow();
    for (let i = 0; i < r.blank; i++) stats.addBlank();
    for (const f of r.findings) collector.add(f);
    for (let i = 0; i < r.validLines.length; i++) {
      const line = r.validLines[i]!;
      const first = duplicates.seen(r.hashes[i]!, line);
      if (first !== null) collector.add(duplicateFinding(line, first));
      const d = r.detected[i];
      if (d) detected.set(d, (detected.get(d) ?? 0) + 1);
    }
  };

  // Merge in file order, whichever worker finishes first.
  const drain = () => {
    while (pending.has(merged)) {
      merge(pending.get(merged)!);
      pending.delete(merged++);
    }
    notify();
  };

  const ready = workers.map(
    (w) =>
      new Promise<void>((resolve, reject) => {
        w.once("error", reject);
        const first = (m: { type: string }) => {
          if (m.type !== "ready") return;
          w.off("message", first);
          resolve();
        };
        w.on("message", first);
      }),
  );
  for (const w of workers) {
    w.on("message", (m: { type: string }) => {
      if (m.type !== "result") return;
      const r = m as BlockResult;
      pending.set(r.seq, r);
      drain();
    });
    w.on("error", (e) => {
      failure = e;
      notify();
    });
  }

  try {
    await Promise.all(ready);
    const mainChecker = await lineChecker(init);
    const checkHere = blockChecker(mainChecker, stats, init);
    const sendBlock = (bytes: Buffer, startLine: number) => {
      const who = sent % threads;
      if (who === 0) {
        const seq = sent++;
        pending.set(seq, checkHere({ seq, bytes, startLine }));
        drain();
        return;
      }
      // A private copy whose memory moves to the worker (transfer, no second copy).
      const own = new Uint8Array(bytes.length);
      own.set(bytes);
      workers[who - 1]!.postMessage({ type: "block", seq: sent, bytes: own, startLine }, [
        own.buffer,
      ]);
      sent++;
    };
    const report = (r: Omit<BlockResult, "type" | "seq">) => {
      pending.set(sent, { type: "result", seq: sent, ...r });
      sent++;
      drain();
    };

    // This thread only finds line boundaries (for line numbers and the line index) and cuts
    // blocks of whole lines; a line longer than the limit is reported here and never held.
    const raw = createReadStream(path_, { highWaterMark: CHUNK_BYTES });
    let storedBytesRead = 0;
    raw.on("data", (c) => {
      storedBytesRead += c.length;
    });
    const source = opts.compressed ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
    if (opts.compressed) raw.on("error", (e) => source.destroy(e));
    let carry: Buffer[] = [];
    let carryBytes = 0;
    let skipping = false; // inside an over-long line: drop bytes until its end
    let lineNo = 0; // lines completed so far
    let offset = 0; // uncompressed offset of the first byte not yet sent (start of the current line)
    const countLines = (block: Buffer, blockOffset: number) => {
      let pos = 0;
      let nl: number;
      while ((nl = block.indexOf(10, pos)) !== -1) {
        if (lineNo % INDEX_EVERY === 0) index.push(blockOffset + pos);
        lineNo++;
        pos = nl + 1;
      }
    };
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted");
      let rest = chunk;
      if (skipping) {
        const nl = rest.indexOf(10);
        if (nl === -1) {
          carryBytes += rest.length;
          continue;
        }
        if (lineNo % INDEX_EVERY === 0) index.push(offset);
        lineNo++;
        report({
          rows: 1,
          blank: 0,
          findings: [
            readErrorFinding({ kind: "too_long", line: lineNo, offset, bytes: carryBytes + nl })!,
          ],
          validLines: [],
          hashes: [],
          detected: [],
        });
        offset += carryBytes + nl + 1;
        skipping = false;
        carry = [];
        carryBytes = 0;
        rest = rest.subarray(nl + 1);
      }
      const last = rest.lastIndexOf(10);
      if (last === -1) {
        carry.push(Buffer.from(rest));
        carryBytes += rest.length;
        if (carryBytes > maxLineBytes) {
          skipping = true;
          carry = [];
        }
      } else {
        const head = rest.subarray(0, last + 1);
        const block = carry.length ? Buffer.concat([...carry, head]) : head;
        const startLine = lineNo + 1;
        countLines(block, offset);
        sendBlock(block, startLine);
        offset += block.length;
        const tail = rest.subarray(last + 1);
        carry = tail.length ? [Buffer.from(tail)] : [];
        carryBytes = tail.length;
      }
      opts.onProgress?.(storedBytesRead);
      // Bounded read-ahead keeps memory flat however fast the disk is.
      while (!failure && sent - merged > threads * IN_FLIGHT_PER_WORKER) await waitForProgress();
      if (failure) throw failure;
    }
    if (skipping) {
      if (lineNo % INDEX_EVERY === 0) index.push(offset);
      lineNo++;
      report({
        rows: 1,
        blank: 0,
        findings: [
          readErrorFinding({ kind: "too_long", line: lineNo, offset, bytes: carryBytes })!,
        ],
        validLines: [],
        hashes: [],
        detected: [],
      });
    } else if (carryBytes > 0) {
      const block = Buffer.concat(carry);
      if (lineNo % INDEX_EVERY === 0) index.push(offset);
      sendBlock(block, lineNo + 1);
      lineNo++;
    }
    while (!failure && merged < sent) await waitForProgress();
    if (failure) throw failure;

    const finals: StatsMessage[] = await Promise.all(
      workers.map(
        (w) =>
          new Promise<StatsMessage>((resolve) => {
            w.on("message", (m: StatsMessage) => {
              if (m.type === "stats") resolve(m);
            });
            w.postMessage({ type: "finish" });
          }),
      ),
    );
    for (const f of finals) stats.absorb(f.snapshot);
    return finishAnalysis(
      { stats, collector, detected, index, counter: mainChecker.counter, storedBytesRead },
      opts.evalFraction,
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
