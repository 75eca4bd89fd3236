/**
 * Importing BFCL test files as an eval suite (issue #16): each category's question file and
 * `possible_answer` file are converted to tool-calling chat rows (lib/domain/bfcl/convert.ts),
 * all categories are written as ONE new dataset version through the ordinary upload path
 * (datasets.ts `uploadVersion`: content-addressed file, VALIDATING row, validation job, audit),
 * and a suite over all of its rows is created with the BFCL scoring profile (the dataset is
 * `datasetName`, default `bfcl/<suite name>`: created, or given a new version when it exists). Each row's
 * `metadata.category` makes the category a slice, so a gate can hold per-category regressions.
 *
 * Validation runs inline, while the request waits, instead of answering 202 and creating the
 * suite later: a suite can only be created on a READY version, BFCL files are small (the import
 * body is capped at BFCL_IMPORT_MAX_BYTES, below the size at which the validator goes parallel),
 * and the caller learns at once whether the suite exists. The validation job that
 * `uploadVersion` enqueues in the same transaction still runs; `validateDatasetVersion` is
 * idempotent (one guarded VALIDATING → READY/INVALID update), so whichever of the two finishes
 * second changes nothing.
 *
 * Nothing is stored when the request is refused before the upload: a malformed body, a file
 * that does not convert (422 naming file, category and line), a suite name already taken
 * (409). A version whose rows fail validation stays INVALID with its report, like any uploaded
 * version, and no suite is created (422 naming the findings by category and BFCL id, and the
 * version); the same request, fixed, then adds a version to the same dataset.
 */
import { bfclToRows } from "@/lib/domain/bfcl/convert";
import {
  BFCL_IMPORT_MAX_BYTES,
  defaultBfclDatasetName,
  type ImportBfclBody,
  type ImportBfclResult,
  importBfclBodySchema,
} from "@/lib/schemas/bfcl-import";
import type { Finding } from "@/lib/schemas/datasets";
import { reportSchema } from "@/lib/schemas/datasets";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { conflict, HttpError } from "@/lib/server/core/errors";
import {
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  parseJsonText,
  readCapped,
} from "@/lib/server/core/json-body";
import type { Principal } from "@/lib/server/core/principal";
import { createDataset, uploadVersion } from "@/lib/server/datasets/datasets";
import { validateDatasetVersion } from "@/lib/server/datasets/validation";
import { createEvalSuite } from "./suites";

/** Issues listed in one refusal; the message says how many there were in all. */
const MAX_ISSUES = 50;

type Issue = { path: string; message: string };

/** The request body: JSON within the import's limit, parsed by its schema. */
export async function readBfclImportBody(req: Request): Promise<ImportBfclBody> {
  const max = Math.min(BFCL_IMPORT_MAX_BYTES, env().DATASET_MAX_UPLOAD_BYTES);
  const text = (await readCapped(req, max, "BFCL import body")).toString("utf8");
  return importBfclBodySchema.parse(parseJsonText(text, "BFCL import body"), {
    reportInput: true,
  });
}

const refusal = (code: string, summary: string, issues: Issue[]) =>
  new HttpError(
    422,
    code,
    issues.length > 1
      ? `${summary}: ${issues[0]!.path}: ${issues[0]!.message} (and ${issues.length - 1} more)`
      : `${summary}: ${issues[0]!.path}: ${issues[0]!.message}`,
    issues.slice(0, MAX_ISSUES),
  );

type Converted = {
  lines: string[];
  /** Per stored line (0-based): where the row came from, to name it in validation findings. */
  origins: { category: string; id: string }[];
  categories: { category: string; cases: number }[];
};

/** Every file pair through the converter; any error in any file refuses the import whole. */
function convertAll(body: ImportBfclBody): Converted {
  const issues: Issue[] = [];
  const out: Converted = { lines: [], origins: [], categories: [] };
  body.files.forEach((file, i) => {
    // A line nesting deeper than any real question or answer would overflow JSON.parse's stack.
    for (const part of ["questions", "answers"] as const) {
      const text = file[part];
      if (text && jsonDepthExceeds(text, MAX_JSON_DEPTH))
        issues.push({
          path: `files.${i}.${part}`,
          message: `${file.category} ${part}: nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
        });
    }
    if (issues.length) return;
    const { rows, errors } = bfclToRows(file.questions, file.answers ?? null, {
      category: file.category,
    });
    for (const e of errors)
      issues.push({
        path: `files.${i}.${e.file}`,
        // Line 0 is the file as a whole (a missing answer file, a category that cannot be imported).
        message: `${file.category} ${e.file}${e.line > 0 ? ` line ${e.line}` : ""}: ${e.message}`,
      });
    if (errors.length) return;
    if (rows.length === 0)
      issues.push({
        path: `files.${i}.questions`,
        message: `${file.category} questions: no questions in the file`,
      });
    for (const row of rows) {
      out.lines.push(JSON.stringify(row));
      out.origins.push({ category: file.category, id: String(row.metadata.bfcl_id) });
    }
    out.categories.push({ category: file.category, cases: rows.length });
  });
  if (issues.length) throw refusal("invalid_bfcl", "the BFCL files do not convert", issues);
  return out;
}

/** A taken suite name is refused before anything is written (createEvalSuite refuses a race). */
async function checkSuiteNameFree(p: Principal, suiteName: string) {
  const suite = await db().evalSuite.findFirst({
    where: { teamId: p.teamId, name: suiteName },
    select: { id: true },
  });
  if (suite) throw conflict(`an eval suite named "${suiteName}" already exists in this team`);
}

/**
 * The dataset the rows go to: the team's dataset of that name, which gets a new version (so an
 * import refused by validation can be fixed and sent again under the same names), else a new one.
 */
async function targetDataset(p: Principal, name: string, description: string) {
  const existing = await db().dataset.findFirst({
    where: { teamId: p.teamId, name },
    select: { id: true, name: true },
  });
  if (existing) return existing;
  try {
    return await createDataset(p, { name, description });
  } catch (e) {
    // Created by a concurrent import between the lookup and the insert: use it.
    if (!(e instanceof HttpError && e.status === 409)) throw e;
    return db().dataset.findFirstOrThrow({
      where: { teamId: p.teamId, name },
      select: { id: true, name: true },
    });
  }
}

function bodyStream(lines: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(lines.join("\n") + "\n"));
      c.close();
    },
  });
}

/** The version's verdict, validated here (see the header for why inline). */
async function validateNow(versionId: string) {
  await validateDatasetVersion(versionId);
  // SKIPPED means the worker's job got there first; either way the row now holds the verdict.
  return db().datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
}

/** Validation's error findings, each named by the BFCL category and id of its row. */
function findingIssues(findings: Finding[], origins: Converted["origins"]): Issue[] {
  return findings
    .filter((f) => f.severity === "error")
    .map((f) => {
      const origin = f.line ? origins[f.line - 1] : undefined;
      return {
        path: origin ? `${origin.category}/${origin.id}` : "(dataset)",
        message: `${f.code}${f.field ? ` at ${f.field}` : ""}: ${f.message}`,
      };
    });
}

export async function importBfclSuite(
  p: Principal,
  input: ImportBfclBody,
): Promise<ImportBfclResult> {
  authorize(p, "resource.write");
  const body = importBfclBodySchema.parse(input);
  const converted = convertAll(body);
  const datasetName = body.datasetName ?? defaultBfclDatasetName(body.name);
  await checkSuiteNameFree(p, body.name);

  const dataset = await targetDataset(
    p,
    datasetName,
    `BFCL categories ${converted.categories.map((c) => c.category).join(", ")}, imported for eval suite "${body.name}"`,
  );
  const upload = await uploadVersion(p, dataset.id, {
    body: bodyStream(converted.lines),
    contentType: "application/x-ndjson",
    query: {
      format: "tool_calling",
      // The version's own train/eval split is the upload default; the suite takes all rows.
      evalFraction: 0.1,
      ...(body.baseModel ? { baseModel: body.baseModel } : {}),
    },
  });
  const version = await validateNow(upload.id);
  if (version.status !== "READY") {
    const report = reportSchema.safeParse(version.report);
    const issues = report.success ? findingIssues(report.data.findings, converted.origins) : [];
    if (!issues.length)
      issues.push({ path: "(dataset)", message: version.error ?? "validation did not pass" });
    throw refusal(
      "invalid_dataset",
      `dataset version ${version.id} (dataset "${datasetName}") is ${version.status}; no suite was created`,
      issues,
    );
  }

  const suite = await createEvalSuite(p, {
    name: body.name,
    datasetVersionId: version.id,
    split: "all",
    scorers: body.scorers,
    scoringProfile: body.scoringProfile,
    // BFCL's single-turn categories: one question, one decision (the converter refuses multi_turn).
    turns: "first",
  });
  const cases = converted.lines.length;
  await recordAudit({
    ...actorOf(p),
    action: "eval-suite.import-bfcl",
    targetType: "eval-suite",
    targetId: suite.id,
    metadata: {
      name: suite.name,
      datasetVersionId: version.id,
      categories: converted.categories.map((c) => `${c.category}:${c.cases}`).join(","),
      cases,
      scoringProfile: body.scoringProfile,
    },
  });
  return {
    suite,
    dataset: { id: dataset.id, name: dataset.name },
    datasetVersionId: version.id,
    categories: converted.categories,
    cases,
  };
}
