/**
 * The end of a run: succeeded (the adapter copied into the registry's folder and a CANDIDATE
 * ModelVersion registered), failed, or cancelled. Guarded transitions, safe to repeat.
 */
import { ACTIVE_STATUSES, IN_FLIGHT_STATUSES } from "@/lib/domain/training-status";
import { isTrainerHeadline } from "@/lib/domain/trainer-log";
import { copyFile, mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { computeTime } from "@/lib/domain/compute-time";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { recordAudit } from "@/lib/server/core/audit";
import { db, Prisma } from "@/lib/server/core/db";
import type { TrainingJob as JobRow } from "@/lib/server/generated/prisma/client";
import { artifactPath } from "@/lib/server/core/artifacts";
import { modelVersionUri, outputDir } from "./paths";
import { loadRun, type Run } from "./runs";

const ADAPTER_FILES = ["adapter_config.json", "adapter_model.safetensors"];

/**
 * What the run used, measured (lib/domain/compute-time.ts: every attempt's wall time × its
 * devices). The column is GPU time, so a CPU run stores none (null, not 0 s) and costs $0.
 */
async function cost(job: JobRow, now: Date) {
  const spec = createTrainingJobBodySchema.safeParse(job.spec);
  const compute = spec.success ? spec.data.compute : { gpuType: "CPU" as const, gpuCount: 1 };
  const attempts = await db().trainingRunAttempt.findMany({
    where: { trainingJobId: job.id },
    select: { startedAt: true, finishedAt: true, status: true },
  });
  // This attempt ends now; the transaction below records its finishedAt.
  const used = computeTime(
    compute,
    attempts.map((a) => (a.finishedAt || !a.startedAt ? a : { ...a, finishedAt: now })),
    now,
  );
  return {
    gpuSeconds: used && used.device === "GPU" ? used.seconds : null,
    costUsd: used?.costUsd ?? 0,
  };
}

/**
 * The run ended with status 0: copy the adapter into the registry's folder and, in one
 * transaction, finish the job and register a CANDIDATE ModelVersion of its Model.
 */
export async function finishSucceeded(
  run: Run,
): Promise<{ modelVersionId: string } | { error: string }> {
  const { job, attempt } = run;
  const out = outputDir(job.id);
  const present = new Set(await readdir(out).catch(() => [] as string[]));
  const missing = ADAPTER_FILES.filter((f) => !present.has(f));
  if (missing.length)
    return {
      error: `the trainer exited 0 but wrote no ${missing.join(", ")} in its output folder`,
    };
  const existing = await db().modelVersion.findUnique({ where: { trainingJobId: job.id } });
  if (existing) return { modelVersionId: existing.id };
  const now = new Date();
  const used = await cost(job, now);
  for (let tries = 0; ; tries++) {
    const last = await db().modelVersion.findFirst({
      where: { modelId: job.modelId },
      orderBy: { version: "desc" },
    });
    const version = (last?.version ?? 0) + 1;
    const uri = modelVersionUri(job.modelId, version);
    const dest = artifactPath(uri);
    await mkdir(dest, { recursive: true });
    // The adapter plus the tokenizer files it was trained with, if the trainer saved them.
    const files: { name: string; bytes: number }[] = [];
    for (const name of [...present].filter(
      (n) => !n.startsWith("checkpoint-") && !n.startsWith("."),
    )) {
      const src = path.join(out, name);
      const s = await stat(src);
      if (!s.isFile()) continue;
      await copyFile(src, path.join(dest, name));
      files.push({ name, bytes: s.size });
    }
    try {
      const mv = await db().$transaction(async (tx) => {
        const moved = await tx.trainingJob.updateMany({
          where: { id: job.id, attempt: attempt.attempt, status: { in: [...ACTIVE_STATUSES] } },
          data: {
            status: "SUCCEEDED",
            finishedAt: now,
            progress: 1,
            etaSeconds: null,
            error: null,
            ...used,
          },
        });
        await tx.trainingRunAttempt.update({
          where: { id: attempt.id },
          data: { status: "SUCCEEDED", exitCode: 0, finishedAt: now },
        });
        if (moved.count === 0) return null;
        const mv = await tx.modelVersion.create({
          data: {
            teamId: job.teamId,
            modelId: job.modelId,
            version,
            stage: "CANDIDATE",
            baseModel: job.baseModel,
            adapterUri: uri,
            adapterFiles: files,
            trainingJobId: job.id,
          },
        });
        await recordAudit(
          {
            teamId: job.teamId,
            action: "model-version.register",
            targetType: "model-version",
            targetId: mv.id,
            metadata: { trainingJobId: job.id, version, stage: "CANDIDATE" },
          },
          tx,
        );
        return mv;
      });
      return mv
        ? { modelVersionId: mv.id }
        : { error: "the job was no longer running (cancelled meanwhile)" };
    } catch (e) {
      // Another job of the same Model registered this version number first: take the next.
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002" && tries < 5)
        continue;
      throw e;
    }
  }
}

/**
 * The run failed, was lost, or timed out: the attempt and the job end FAILED with the reason. When
 * the trainer said why (its error event, kept by ingestOutput), that is the headline; else the
 * executor's `message` (the exit status), with the last error line of the output if any.
 */
export async function finishFailed(run: Run, message: string, exitCode: number | null = null) {
  const { job, attempt } = run;
  const now = new Date();
  // A failed run used its compute too: the job records what it held, as a success would.
  const used = await cost(job, now);
  const detail = isTrainerHeadline(attempt.error)
    ? attempt.error!
    : attempt.error && !message.includes(attempt.error)
      ? `${message}: ${attempt.error}`
      : message;
  await db().$transaction(async (tx) => {
    await tx.trainingRunAttempt.update({
      where: { id: attempt.id },
      data: { status: "FAILED", exitCode, finishedAt: now, error: detail.slice(0, 2000) },
    });
    await tx.trainingJob.updateMany({
      where: {
        id: job.id,
        attempt: attempt.attempt,
        status: { in: [...IN_FLIGHT_STATUSES] },
      },
      data: {
        status: "FAILED",
        finishedAt: now,
        etaSeconds: null,
        error: detail.slice(0, 2000),
        ...used,
      },
    });
  });
}

/** The job was cancelled and its run is now stopped. */
/**
 * The attempt's process is gone (the caller has seen it): the attempt is CANCELLED, and so is a
 * CANCELLING job of this attempt — the slot is free only now. A superseded attempt (a retry
 * already started the next one) leaves the job as it is.
 */
export async function finishCancelled(run: Run) {
  const now = new Date();
  const used = await cost(run.job, now);
  await db().$transaction([
    db().trainingRunAttempt.update({
      where: { id: run.attempt.id },
      data: { status: "CANCELLED", finishedAt: now },
    }),
    db().trainingJob.updateMany({
      where: { id: run.job.id, attempt: run.attempt.attempt, status: "CANCELLING" },
      data: { status: "CANCELLED", finishedAt: now, ...used },
    }),
  ]);
}

/**
 * The reconciler's sweep (docs/architecture.md, "Queues"): an attempt claimed (STARTING) but never
 * started whose submit job failed for good (its outbox row FAILED: every attempt threw) would be
 * re-driven by the poller forever; it ends FAILED with the reason, and the job with it. QUEUED
 * jobs are not swept: the poller offers them a slot every tick.
 */
export async function sweepUnstartableRuns(): Promise<number> {
  const stuck = await db().$queryRaw<
    { jobId: string; attempt: number; lastError: string | null }[]
  >`
    SELECT j.id AS "jobId", j.attempt, o."lastError" FROM "TrainingJob" j
    JOIN "TrainingRunAttempt" a ON a."trainingJobId" = j.id AND a.attempt = j.attempt
    JOIN "Outbox" o ON o."jobId" = 'tj-' || j.id || '-a' || j.attempt
    WHERE j.status = 'STARTING' AND a."externalId" IS NULL AND o.status = 'FAILED'
    LIMIT 50`;
  for (const s of stuck) {
    const run = await loadRun(s.jobId, s.attempt);
    if (run)
      await finishFailed(
        run,
        `the run could not be started and was given up: ${s.lastError ?? "no reason recorded"}`,
      );
  }
  return stuck.length;
}
