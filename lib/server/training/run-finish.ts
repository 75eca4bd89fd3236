/**
 * The end of a run: succeeded (the adapter copied into the registry's folder and a CANDIDATE
 * ModelVersion registered), failed, or cancelled. Guarded transitions, safe to repeat.
 */
import { ACTIVE_STATUSES, IN_FLIGHT_STATUSES } from "@/lib/domain/training-status";
import { copyFile, mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { GPUS, type GpuType } from "@/lib/domain/training-estimate";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { recordAudit } from "@/lib/server/core/audit";
import { db, Prisma } from "@/lib/server/core/db";
import type { TrainingJob as JobRow } from "@/lib/server/generated/prisma/client";
import { artifactPath } from "@/lib/server/core/artifacts";
import { modelVersionUri, outputDir } from "./paths";
import type { Run } from "./runs";

const ADAPTER_FILES = ["adapter_config.json", "adapter_model.safetensors"];

function cost(job: JobRow, seconds: number) {
  const spec = createTrainingJobBodySchema.safeParse(job.spec);
  const gpu: GpuType = spec.success ? spec.data.compute.gpuType : "CPU";
  const count = spec.success ? spec.data.compute.gpuCount : 1;
  if (gpu === "CPU") return { gpuSeconds: 0, costUsd: 0 };
  return {
    gpuSeconds: seconds * count,
    costUsd: Math.round((seconds / 3600) * GPUS[gpu].usdPerHour * count * 100) / 100,
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
  const seconds = (now.getTime() - (attempt.startedAt ?? job.startedAt ?? now).getTime()) / 1000;
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
            ...cost(job, seconds),
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

/** The run failed, was lost, or timed out: the attempt and the job end FAILED with the reason. */
export async function finishFailed(run: Run, message: string, exitCode: number | null = null) {
  const { job, attempt } = run;
  const now = new Date();
  const detail =
    attempt.error && !message.includes(attempt.error) ? `${message}: ${attempt.error}` : message;
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
      data: { status: "FAILED", finishedAt: now, etaSeconds: null, error: detail.slice(0, 2000) },
    });
  });
}

/** The job was cancelled and its run is now stopped. */
export async function finishCancelled(run: Run) {
  await db().trainingRunAttempt.update({
    where: { id: run.attempt.id },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
}
