/**
 * The cases of an eval suite, read from its immutable dataset version: the rows the validator
 * accepted, on the suite's side of the dataset's own deterministic split (splitOf — exactly the
 * rows a training job on that version holds out), each turned into prompts, the tools offered
 * and the expected answers (casesFromRow): one case per row for a first-turn suite, one per
 * assistant turn for an "all"-turn suite. A (version, split, turns) triple always yields the same
 * cases, so they are built once into ARTIFACT_DIR/eval-cases/ and read from there afterwards.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { exampleHash, normalizedExampleHash, splitOf } from "@/lib/domain/datasets/example-hash";
import type { ChatMessage, ToolDef } from "@/lib/domain/datasets/types";
import { casesFromRow, type EvalTurns } from "@/lib/domain/scoring/eval-row";
import type { CaseExpected, CaseSlice } from "@/lib/schemas/eval-metrics";
import { artifactRoot } from "@/lib/server/core/artifacts";
import { lineChecker } from "@/lib/server/datasets/analysis";
import { storedPath } from "@/lib/server/datasets/datasets";
import { env } from "@/lib/server/core/env";
import type { DatasetVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { readLines } from "@/lib/server/datasets/jsonl-lines";
import { suiteTurns } from "./suites";

export type SuiteSplit = "eval" | "all";

/** One case of a suite, numbered 0… in file order (turns of a row in conversation order). */
export type BuiltEvalCase = {
  index: number;
  /** The dataset line the case was read from (1-based), for people tracing a case back. */
  line: number;
  /**
   * The conversation the case belongs to: the ordinal (0…) of its row among the rows that made
   * cases. The turns of one row share it; conversation_success groups by it.
   */
  conversation: number;
  /**
   * In an "all"-turn suite, the case's 1-based position among its row's assistant turns (also
   * `slice.turn`, as a string); null in a first-turn suite.
   */
  turn: number | null;
  /**
   * exampleHash of the row's whole conversation (all its messages, not just the prompt): the
   * gate looks the case up among the candidate's training rows (registry/leakage.ts).
   */
  hash: number;
  messages: ChatMessage[];
  tools: ToolDef[];
  expected: CaseExpected;
  slice: CaseSlice;
  metadata: Record<string, unknown> | null;
};

/** Accepted rows of the split that cannot be an eval case (e.g. no assistant reference turn). */
export type SkippedRow = { line: number; error: string };

export type LoadedEvalCases = { cases: BuiltEvalCase[]; skipped: SkippedRow[] };

/**
 * Bumped when the cached file's shape or the case-building rules change (exported: caches built
 * from cases, like the registry's leakage check, key on it too).
 */
// v2: the reference is the first tool-calling turn; v3: `hash`; v4: `conversation`, `turn`,
// turns in the folder name, metadata answers (possible_answer, expect, category).
export const CACHE_FORMAT = "v4";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads the suite's rows from the stored version (one streaming pass). */
export async function buildEvalCases(
  version: VersionRow,
  split: SuiteSplit,
  turns: EvalTurns,
): Promise<LoadedEvalCases> {
  const checker = await lineChecker({
    declaredFormat: version.declaredFormat,
    baseModel: version.baseModel,
  });
  const cases: BuiltEvalCase[] = [];
  const skipped: SkippedRow[] = [];
  let conversations = 0;
  await readLines(
    storedPath(version),
    (line) => {
      const checked = checker.check(line);
      const example = checked?.result?.example;
      // Rejected lines are the validation report's business; they never reach training either.
      if (!checked || !example) return;
      if (
        split === "eval" &&
        splitOf(normalizedExampleHash(example), version.evalFraction) !== "eval"
      )
        return;
      if (example.kind !== "chat") {
        skipped.push({
          line: line.line,
          error: "a completion row has no chat reference turn to evaluate against",
        });
        return;
      }
      // The normalized messages (ShareGPT converted, arguments encoded) plus the raw row's
      // metadata, which normalization drops but cases need (intent, category, possible_answer).
      let metadata: Record<string, unknown> | null = null;
      try {
        const raw: unknown = JSON.parse(checked.text ?? "null");
        if (isRecord(raw) && isRecord(raw.metadata)) metadata = raw.metadata;
      } catch {
        metadata = null;
      }
      const read = casesFromRow(
        { messages: example.messages, tools: example.tools, metadata },
        { turns },
      );
      if (!read.ok) {
        skipped.push({ line: line.line, error: read.error });
        return;
      }
      const conversation = conversations++;
      const hash = exampleHash(example.messages);
      for (const c of read.cases) {
        cases.push({
          index: cases.length,
          line: line.line,
          conversation,
          turn: c.slice.turn ? Number(c.slice.turn) : null,
          hash,
          messages: c.messages,
          tools: c.tools,
          expected: c.expected,
          slice: c.slice,
          metadata,
        });
      }
    },
    { compressed: version.compressed, maxLineBytes: env().DATASET_MAX_LINE_BYTES },
  );
  return { cases, skipped };
}

function cacheDir(versionId: string, split: SuiteSplit, turns: EvalTurns): string {
  if (!/^[0-9a-zA-Z-]+$/.test(versionId)) throw new Error(`not an id: ${versionId}`);
  return path.join(
    artifactRoot(),
    "eval-cases",
    `${versionId}__${split}__${turns}__${CACHE_FORMAT}`,
  );
}

/**
 * The suite's cases, from the cache when it holds them. The cache folder holds cases.jsonl and
 * skipped.json; meta.json is renamed into place last, so a crash mid-write is never read as a
 * finished cache (a concurrent builder just writes the same bytes again).
 */
export async function loadEvalCases(
  suite: { datasetVersionId: string; split: string; turns: string },
  version: VersionRow,
): Promise<LoadedEvalCases> {
  if (version.id !== suite.datasetVersionId)
    throw new Error(`suite reads dataset version ${suite.datasetVersionId}, not ${version.id}`);
  const split: SuiteSplit = suite.split === "all" ? "all" : "eval";
  const turns = suiteTurns(suite);
  const dir = cacheDir(version.id, split, turns);
  const meta = path.join(dir, "meta.json");
  const cached = await readFile(meta, "utf8").then(
    (t) => JSON.parse(t) as { cases: number; casesFile: string; skipped: SkippedRow[] },
    () => null,
  );
  if (cached) {
    const text = await readFile(path.join(dir, cached.casesFile), "utf8").catch(() => null);
    if (text !== null) {
      const cases = text
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as BuiltEvalCase);
      if (cases.length === cached.cases) return { cases, skipped: cached.skipped };
    }
  }
  const built = await buildEvalCases(version, split, turns);
  await writeCache(dir, built).catch(() => {
    // A cache that cannot be written (read-only store, full disk) costs a rebuild next time,
    // not the run.
  });
  return built;
}

async function writeCache(dir: string, built: LoadedEvalCases): Promise<void> {
  await mkdir(dir, { recursive: true });
  const nonce = randomUUID();
  const casesFile = `cases.${nonce}.jsonl`;
  const out = createWriteStream(path.join(dir, casesFile));
  try {
    for (const c of built.cases) {
      if (!out.write(JSON.stringify(c) + "\n"))
        await new Promise<void>((r) => out.once("drain", () => r()));
    }
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((e?: Error | null) => (e ? reject(e) : resolve())),
    );
  }
  const tmp = path.join(dir, `.meta.${nonce}.tmp`);
  await writeFile(
    tmp,
    JSON.stringify({ cases: built.cases.length, casesFile, skipped: built.skipped }),
  );
  await rename(tmp, path.join(dir, "meta.json")).catch(async (e: unknown) => {
    await rm(tmp, { force: true });
    throw e;
  });
}
