/**
 * The gate's leakage check: are the suite's cases conversations the candidate was trained on?
 * A suite built on the training rows (split "all" of the training dataset version, or a later
 * version that still holds them) scores memory, not skill, and must not pass silently.
 *
 * Both sides are read the way their owners read them: the suite's cases through evals/cases.ts
 * (each carries the hash of its row's whole conversation) and the training rows from the very
 * train.jsonl the trainer read, through training/data.ts `linkTrainingData` (its split cache, so
 * the rows and the train/eval sides are exactly the job's). A row matches a case when their
 * conversations (all messages) hash the same: the tools offered or the row's source do not make
 * a trained conversation new. The result depends only on the (suite dataset version and split,
 * training dataset version and eval version) tuple, all immutable, so it is computed once and
 * kept in memory and under ARTIFACT_DIR/eval-leakage/.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { exampleHash } from "@/lib/domain/datasets/example-hash";
import type { LeakageCheck } from "@/lib/schemas/gates";
import { artifactRoot } from "@/lib/server/core/artifacts";
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { loadVersionById } from "@/lib/server/datasets/datasets";
import { readLines } from "@/lib/server/datasets/jsonl-lines";
import { CACHE_FORMAT as CASES_FORMAT, loadEvalCases } from "@/lib/server/evals/cases";
import { linkTrainingData } from "@/lib/server/training/data";

/** Bumped when the cached file's shape or the matching rule changes. */
const CACHE_FORMAT = "v1";

type Overlap = { suiteCases: number; overlapping: number; trainingRows: number };

/** Results this process has computed or read (the inputs never change). */
const memo = new Map<string, Overlap>();

type Suite = { datasetVersionId: string; split: string; turns: string };

function safeId(id: string): string {
  if (!/^[0-9a-zA-Z-]+$/.test(id)) throw new Error(`not an id: ${id}`);
  return id;
}

function leakageDir(): string {
  return path.join(artifactRoot(), "eval-leakage");
}

/**
 * The overlap of `suite` with the training data of `version`'s job. Never throws: a version
 * registered without a training job, or data that cannot be read, yields `overlapping: null`
 * with a note saying why, which the gate records as "not checked" rather than "no leakage".
 */
export async function checkLeakage(
  version: { trainingJobId: string | null },
  suite: Suite,
): Promise<LeakageCheck> {
  const split = suite.split === "all" ? "all" : "eval";
  const base = {
    suiteDatasetVersionId: suite.datasetVersionId,
    suiteSplit: split,
    trainingDatasetVersionId: null,
    suiteCases: null,
    overlapping: null,
  };
  if (!version.trainingJobId)
    return {
      ...base,
      note: "not checked: the version was registered without a training job, so its training data is unknown",
    };
  const job = await db().trainingJob.findUnique({
    where: { id: version.trainingJobId },
    select: { datasetVersionId: true, evalDatasetVersionId: true },
  });
  if (!job) return { ...base, note: "not checked: the version's training job no longer exists" };
  const withTraining = { ...base, trainingDatasetVersionId: job.datasetVersionId };
  try {
    const overlap = await overlapOf(
      { ...suite, split, turns: suite.turns === "all" ? "all" : "first" },
      job,
    );
    return { ...withTraining, suiteCases: overlap.suiteCases, overlapping: overlap.overlapping };
  } catch (e) {
    console.warn(`[registry] leakage check failed: ${String(e)}`);
    return {
      ...withTraining,
      note: `not checked: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

async function overlapOf(
  suite: Suite,
  job: { datasetVersionId: string; evalDatasetVersionId: string | null },
): Promise<Overlap> {
  const key = [
    safeId(suite.datasetVersionId),
    suite.split,
    safeId(job.datasetVersionId),
    job.evalDatasetVersionId ? safeId(job.evalDatasetVersionId) : "split",
    // An "all"-turn suite has a case per turn: its counts differ from the first-turn suite's.
    suite.turns,
    `${CACHE_FORMAT}${CASES_FORMAT}`,
  ].join("__");
  const known = memo.get(key);
  if (known) return known;
  const file = path.join(leakageDir(), `${key}.json`);
  const cached = await readFile(file, "utf8").then(
    (t) => JSON.parse(t) as Overlap,
    () => null,
  );
  const overlap = cached ?? (await computeOverlap(suite, job));
  if (!cached)
    await writeCache(file, overlap).catch(() => {
      // An unwritable cache costs a recomputation next time, not the gate.
    });
  if (memo.size > 1_000) memo.clear();
  memo.set(key, overlap);
  return overlap;
}

async function computeOverlap(
  suite: Suite,
  job: { datasetVersionId: string; evalDatasetVersionId: string | null },
): Promise<Overlap> {
  const { cases } = await loadEvalCases(suite, await loadVersionById(suite.datasetVersionId));
  // Case hash → how many suite cases carry it (a suite may hold a conversation twice).
  const wanted = new Map<number, number>();
  for (const c of cases) {
    if (typeof c.hash !== "number") throw new Error("the suite's cached cases carry no hashes");
    wanted.set(c.hash, (wanted.get(c.hash) ?? 0) + 1);
  }
  const train = await loadVersionById(job.datasetVersionId);
  const evalVersion = job.evalDatasetVersionId
    ? await loadVersionById(job.evalDatasetVersionId)
    : null;
  // linkTrainingData links the job's split files (built once per dataset pair) into a folder;
  // a private scratch folder under the artifact root keeps the links on one device.
  const scratch = path.join(leakageDir(), `.scratch-${randomUUID()}`);
  try {
    await linkTrainingData(scratch, train, evalVersion);
    const found = new Set<number>();
    let trainingRows = 0;
    let unreadable = 0;
    await readLines(
      path.join(scratch, "data", "train.jsonl"),
      (line) => {
        if (line.kind === "blank") return;
        if (line.kind !== "text") {
          unreadable++;
          return;
        }
        trainingRows++;
        const row = JSON.parse(line.text) as { messages?: unknown };
        const hash = exampleHash(row.messages);
        if (wanted.has(hash)) found.add(hash);
      },
      { compressed: false, maxLineBytes: env().DATASET_MAX_LINE_BYTES * 4 },
    );
    if (unreadable > 0) throw new Error(`${unreadable} training rows could not be read`);
    let overlapping = 0;
    for (const hash of found) overlapping += wanted.get(hash) ?? 0;
    return { suiteCases: cases.length, overlapping, trainingRows };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function writeCache(file: string, overlap: Overlap): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(overlap));
  await rename(tmp, file).catch(async (e: unknown) => {
    await rm(tmp, { force: true });
    throw e;
  });
}
