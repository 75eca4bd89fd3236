/**
 * The files a job trains on, written from immutable dataset versions: only rows the validator
 * accepted, normalized to the chat format trainers read, split train/eval by the dataset's own
 * deterministic split (splitOf), so the eval rows a job holds out are the ones the dataset's
 * report counts — and a duplicate can never sit on both sides.
 */
import { createWriteStream, linkSync, mkdirSync, type WriteStream } from "node:fs";
import { randomUUID } from "node:crypto";
import { copyFile, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { normalizedExampleHash, splitOf } from "@/lib/domain/datasets/example-hash";
import type { NormalizedExample } from "@/lib/domain/datasets/types";
import { lineChecker } from "@/lib/server/datasets/analysis";
import { storedPath } from "@/lib/server/datasets/datasets";
import { artifactRoot } from "@/lib/server/core/artifacts";
import { env } from "@/lib/server/core/env";
import type { DatasetVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { readLines } from "@/lib/server/datasets/jsonl-lines";

export type Materialized = { train: number; eval: number; evalFile: boolean };

function rowOf(example: NormalizedExample): string | null {
  if (example.kind !== "chat") return null;
  const row = example.tools.length
    ? { messages: example.messages, tools: example.tools }
    : { messages: example.messages };
  return JSON.stringify(row) + "\n";
}

async function write(out: WriteStream, text: string) {
  if (!out.write(text)) await new Promise<void>((r) => out.once("drain", () => r()));
}

async function close(out: WriteStream) {
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

/** Streams the accepted rows of `v` into train (and eval, by split) files; returns counts. */
async function splitVersion(
  v: VersionRow,
  sink: (side: "train" | "eval", row: string) => Promise<void>,
  allTo?: "train" | "eval",
) {
  const checker = await lineChecker({ declaredFormat: v.declaredFormat, baseModel: v.baseModel });
  const pending: ["train" | "eval", string][] = [];
  await readLines(
    storedPath(v),
    (line) => {
      const checked = checker.check(line);
      const example = checked?.result?.example;
      if (!example) return;
      const row = rowOf(example);
      if (!row) return;
      pending.push([allTo ?? splitOf(normalizedExampleHash(example), v.evalFraction), row]);
    },
    {
      compressed: v.compressed,
      maxLineBytes: env().DATASET_MAX_LINE_BYTES,
      afterChunk: async () => {
        for (const [side, row] of pending.splice(0)) await sink(side, row);
      },
    },
  );
  for (const [side, row] of pending.splice(0)) await sink(side, row);
}

/**
 * The train side of `v`, row by row in the trainer's format: what a job on `v` trains on. A
 * retrain that mixes in a base version takes only these, so the base's held-out rows stay
 * held out (a suite on them would otherwise fail the new candidate's gate as leakage).
 */
export async function readTrainRows(v: VersionRow, onRow: (row: string) => void): Promise<void> {
  await splitVersion(v, async (side, row) => {
    if (side === "train") onRow(row.trimEnd());
  });
}

/**
 * Moves a finished temp file to its name unless a concurrent writer got there first (the content
 * is deterministic, so theirs is as good). Never renames over an existing file: a job hard-linking
 * that file at the same moment would get ENOENT from link(2) once the old inode is unlinked.
 */
async function publish(tmp: string, dest: string): Promise<void> {
  try {
    await link(tmp, dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/**
 * Writes data/train.jsonl and data/eval.jsonl under `dir` (atomically: temp names, then publish,
 * so a crashed write is never mistaken for a finished one). With `evalVersion` the whole train
 * version trains and the eval version is the eval set.
 */
export async function materializeTrainingData(
  dir: string,
  train: VersionRow,
  evalVersion: VersionRow | null,
): Promise<Materialized> {
  const dataDir = path.join(dir, "data");
  await mkdir(dataDir, { recursive: true });
  const nonce = randomUUID();
  const tmp = (n: string) => path.join(dataDir, `.${n}.${nonce}.tmp`);
  const files = { train: createWriteStream(tmp("train")), eval: createWriteStream(tmp("eval")) };
  const counts = { train: 0, eval: 0 };
  const sink = async (side: "train" | "eval", row: string) => {
    counts[side]++;
    await write(files[side], row);
  };
  try {
    if (evalVersion) {
      await splitVersion(train, sink, "train");
      await splitVersion(evalVersion, sink, "eval");
    } else {
      await splitVersion(train, sink);
    }
  } finally {
    await close(files.train);
    await close(files.eval);
  }
  await publish(tmp("train"), path.join(dataDir, "train.jsonl"));
  await publish(tmp("eval"), path.join(dataDir, "eval.jsonl"));
  return { ...counts, evalFile: counts.eval > 0 };
}

/** counts.json of the splits this process has seen (the split files never change). */
const splitCounts = new Map<string, Materialized>();

/**
 * The split of a (version, eval version) pair is deterministic, so it is written once into
 * ARTIFACT_DIR/training-splits/ and hard-linked into each job's folder (copied across devices):
 * launching the hundredth job on a dataset costs two links, not a validation pass.
 */
export async function linkTrainingData(
  jobDir: string,
  train: VersionRow,
  evalVersion: VersionRow | null,
): Promise<Materialized> {
  const cacheDir = path.join(
    artifactRoot(),
    "training-splits",
    `${train.id}__${evalVersion?.id ?? "split"}`,
  );
  const meta = path.join(cacheDir, "counts.json");
  let counts =
    splitCounts.get(cacheDir) ??
    (await readFile(meta, "utf8").then(
      (t) => JSON.parse(t) as Materialized,
      () => null,
    ));
  if (!counts) {
    counts = await materializeTrainingData(cacheDir, train, evalVersion);
    const tmp = `${meta}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify(counts));
    await publish(tmp, meta);
  }
  if (splitCounts.size > 1_000) splitCounts.clear();
  splitCounts.set(cacheDir, counts);
  const dataDir = path.join(jobDir, "data");
  // Synchronous metadata calls: cheaper than the thread pool for a new folder and two links
  // (see workers/training/prepare.ts).
  mkdirSync(dataDir, { recursive: true });
  for (const name of ["train.jsonl", "eval.jsonl"]) {
    const src = path.join(cacheDir, "data", name);
    const dest = path.join(dataDir, name);
    try {
      linkSync(src, dest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      if (code === "EXDEV" || code === "EPERM") await copyFile(src, dest);
      else throw e;
    }
  }
  return counts;
}
