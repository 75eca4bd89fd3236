/**
 * The `dataset-validation` job: analyze a stored version, write its sidecars, and move it from
 * VALIDATING to READY (no errors) or INVALID with one guarded update. Idempotent: a version
 * that already left VALIDATING is skipped, so a redelivered job does nothing.
 */
import { canTransition } from "@/lib/domain/dataset-status";
import type { Provenance, Report } from "@/lib/schemas/datasets";
import { analyzeFile } from "./analysis";
import { analyzeFileParallel, analyzerThreads } from "./analysis-parallel";
import { isTruncatedGzip } from "./jsonl-lines";
import { writeSidecars } from "./sidecars";
import { storedPath } from "./datasets";
import { db } from "@/lib/server/core/db";

const PROGRESS_EVERY_MS = 1_000;
/** Below this, starting worker threads (each loads a tokenizer) costs more than it saves. */
const PARALLEL_FROM_BYTES = 32 * 1024 * 1024;

export async function validateDatasetVersion(
  versionId: string,
  hooks: { signal?: AbortSignal; onProgress?: (fraction: number) => unknown } = {},
): Promise<{ status: "READY" | "INVALID" | "SKIPPED" }> {
  const v = await db().datasetVersion.findUnique({ where: { id: versionId } });
  if (!v || v.status !== "VALIDATING") return { status: "SKIPPED" };
  let lastWrite = Date.now();
  const size = Number(v.sizeBytes);

  const parallel = size >= PARALLEL_FROM_BYTES && analyzerThreads() > 1;
  const analyze = parallel ? analyzeFileParallel : analyzeFile;
  let analysis: Awaited<ReturnType<typeof analyze>>;
  try {
    analysis = await analyze(storedPath(v), {
      compressed: v.compressed,
      declaredFormat: v.declaredFormat,
      baseModel: v.baseModel,
      provenance: (v.provenance?.toLowerCase() as Provenance | undefined) ?? null,
      evalFraction: v.evalFraction,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onProgress: (bytes) => {
        const now = Date.now();
        if (now - lastWrite < PROGRESS_EVERY_MS) return;
        lastWrite = now;
        void db()
          .datasetVersion.updateMany({
            where: { id: v.id, status: "VALIDATING" },
            data: { processedBytes: BigInt(bytes) },
          })
          .catch(() => {});
        void hooks.onProgress?.(size ? bytes / size : 0);
      },
    });
  } catch (e) {
    // A broken file fails the same way on every attempt: end INVALID with the reason now
    // instead of retrying into a version that stays VALIDATING (issue 14).
    if (!isTruncatedGzip(e)) throw e;
    return finishUnreadable(v.id, v.teamId);
  }

  const status = analysis.report.errorLines > 0 ? "INVALID" : "READY";
  if (!canTransition("VALIDATING", status))
    throw new Error(`illegal transition VALIDATING → ${status}`);
  await writeSidecars(v.teamId, v.id, analysis.errorLines, analysis.lineIndex);
  const moved = await db().datasetVersion.updateMany({
    where: { id: v.id, status: "VALIDATING" },
    data: {
      status,
      stats: analysis.stats,
      report: analysis.report,
      processedBytes: BigInt(analysis.storedBytesRead),
      format: analysis.sourceFormat ? (analysis.sourceFormat.toUpperCase() as "CHAT") : null,
      validatedAt: new Date(),
    },
  });
  return { status: moved.count ? status : "SKIPPED" };
}

/**
 * The file cannot be read to its end (a truncated gzip stream from before uploads were inflated
 * whole): INVALID with one finding that says so, and empty sidecars, so reads answer "no rows"
 * rather than failing on missing files.
 */
async function finishUnreadable(
  id: string,
  teamId: string,
): Promise<{ status: "INVALID" | "SKIPPED" }> {
  const finding = {
    line: null,
    severity: "error" as const,
    code: "truncated_gzip" as const,
    message:
      "truncated gzip: the stored file ends before its gzip stream does (an interrupted upload, or a missing trailer); upload the complete file as a new version",
  };
  const report: Report = {
    findings: [finding],
    countsByCode: { truncated_gzip: 1 },
    errorLines: 1,
    warningLines: 0,
    keptPerCode: 1,
  };
  await writeSidecars(teamId, id, new Uint32Array(0), new Float64Array(0));
  const moved = await db().datasetVersion.updateMany({
    where: { id, status: "VALIDATING" },
    data: { status: "INVALID", report, validatedAt: new Date() },
  });
  return { status: moved.count ? "INVALID" : "SKIPPED" };
}

/**
 * The reconciler's sweep (docs/architecture.md, "Queues"): a version still VALIDATING whose
 * validation job failed for good (its outbox row FAILED: every BullMQ attempt spent, or the
 * payload refused) has no one left to finish it. It ends INVALID with the reason in `error`, so
 * it is terminal and explained, and an upload of the same bytes makes a new version.
 */
export async function sweepAbandonedValidations(): Promise<number> {
  const moved = await db().$executeRaw`
    UPDATE "DatasetVersion" v
    SET status = 'INVALID',
        error = left('validation failed and was given up: ' || coalesce(o."lastError", 'no reason recorded'), 2000),
        "validatedAt" = now() AT TIME ZONE 'UTC'
    FROM "Outbox" o
    WHERE v.status = 'VALIDATING' AND o."jobId" = 'dv-' || v.id AND o.status = 'FAILED'`;
  return moved;
}
