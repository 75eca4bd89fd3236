/**
 * The `dataset-validation` job: analyze a stored version, write its sidecars, and move it from
 * VALIDATING to READY (no errors) or INVALID with one guarded update. Idempotent: a version
 * that already left VALIDATING is skipped, so a redelivered job does nothing.
 */
import { canTransition } from "@/lib/domain/dataset-status";
import type { Provenance } from "@/lib/schemas/datasets";
import { analyzeFile } from "./analysis";
import { analyzeFileParallel, analyzerThreads } from "./analysis-parallel";
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
  const analysis = await analyze(storedPath(v), {
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
