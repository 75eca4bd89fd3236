/**
 * The worker's side of a training job's lifecycle, as guarded database transitions: claim a slot,
 * record the run, take in its output (stored log + metric points + progress), and finish it —
 * registering a CANDIDATE ModelVersion on success. Every step is idempotent, because the poller
 * is level-triggered and may repeat any of them after a crash.
 */
import { copyFile, mkdir, open, readdir, stat, truncate } from "node:fs/promises";
import path from "node:path";
import { GPUS, type GpuType } from "@/lib/domain/training-estimate";
import { etaSeconds } from "@/lib/domain/training-status";
import { parseTrainerLine } from "@/lib/domain/trainer-log";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { recordAudit } from "./audit";
import { db, Prisma } from "./db";
import type {
  TrainingJob as JobRow,
  TrainingRunAttempt as AttemptRow,
} from "./generated/prisma/client";
import { artifactPath } from "./artifacts";
import { modelVersionUri, outputDir, storedLogPath } from "./training-paths";

export type Run = { job: JobRow; attempt: AttemptRow };

export async function loadRun(jobId: string, attempt: number): Promise<Run | null> {
  const job = await db().trainingJob.findUnique({ where: { id: jobId } });
  if (!job) return null;
  const a = await db().trainingRunAttempt.findUnique({
    where: { trainingJobId_attempt: { trainingJobId: jobId, attempt } },
  });
  return a ? { job, attempt: a } : null;
}

/**
 * QUEUED → STARTING when the executor has a free slot and no older job is waiting for it (FIFO).
 * A transaction-scoped advisory lock per executor serializes claims, so two workers can never
 * both take the last slot.
 */
export async function claimSlot(
  jobId: string,
  attempt: number,
  executor: JobRow["executor"],
  limit: number,
): Promise<"claimed" | "wait" | "skip"> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`retune:training-slots:${executor}`}))`;
    const job = await tx.trainingJob.findUnique({ where: { id: jobId } });
    if (!job || job.status !== "QUEUED" || job.attempt !== attempt) return "skip";
    const active = await tx.trainingJob.count({
      where: { executor, status: { in: ["STARTING", "RUNNING"] } },
    });
    const ahead = await tx.trainingJob.count({
      where: { executor, status: "QUEUED", createdAt: { lt: job.createdAt } },
    });
    if (active + ahead >= limit) return "wait";
    const now = new Date();
    await tx.trainingJob.update({
      where: { id: jobId },
      data: { status: "STARTING", startedAt: job.startedAt ?? now, error: null },
    });
    await tx.trainingRunAttempt.updateMany({
      where: { trainingJobId: jobId, attempt, status: "QUEUED" },
      data: { status: "STARTING", startedAt: now },
    });
    return "claimed";
  });
}

/** The oldest QUEUED jobs per executor, for the poller to offer free slots to. */
export async function queuedJobs(limit = 20) {
  return db().trainingJob.findMany({
    where: { status: "QUEUED" },
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { id: true, attempt: true, executor: true },
  });
}

/** Attempts the poller must look at: running, starting, or cancelled with the run still alive. */
export async function activeAttempts() {
  return db().trainingRunAttempt.findMany({
    where: { status: { in: ["STARTING", "RUNNING"] } },
    include: { trainingJob: true },
    orderBy: { createdAt: "asc" },
  });
}

export async function recordExternalId(jobId: string, attempt: number, externalId: string) {
  await db().trainingRunAttempt.updateMany({
    where: { trainingJobId: jobId, attempt },
    data: { externalId },
  });
}

/**
 * Runs `fn` while holding a transaction-scoped advisory lock on one attempt, or skips it when
 * another poller holds it. Keeps two workers from ingesting the same output twice.
 */
export async function withAttemptLock<T>(
  attemptId: string,
  fn: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T | null> {
  return db().$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<
        { locked: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(hashtext(${`retune:attempt:${attemptId}`})) AS locked`;
      if (!row?.locked) return null;
      return fn();
    },
    { timeout: timeoutMs, maxWait: 10_000 },
  );
}

type Ingested = { lines: number; points: number; lastError: string | null };

/**
 * Appends new executor output to the attempt's stored log and turns its lines into metric points
 * and progress. The stored log is a byte copy of the executor's output, so it is first cut back to
 * the recorded offset: output read before a crash, but not recorded, is not appended twice.
 */
export async function ingestOutput(run: Run, text: string, nextOffset: number): Promise<Ingested> {
  const { job, attempt } = run;
  const logPath = storedLogPath(job.id, attempt.attempt);
  await mkdir(path.dirname(logPath), { recursive: true });
  const offset = Number(attempt.logOffset);
  const file = await open(logPath, "a+");
  try {
    const { size } = await file.stat();
    if (size > offset) await truncate(logPath, offset);
    if (text) await file.appendFile(text);
  } finally {
    await file.close();
  }
  const points: Prisma.MetricPointCreateManyInput[] = [];
  let lastStep = attempt.lastStep;
  let totalSteps: number | null = null;
  let resumedFrom: number | null = null;
  let began = false;
  let lastError: string | null = null;
  const lines = text ? text.split("\n") : [];
  for (const line of lines) {
    const entry = parseTrainerLine(line);
    if (!entry) {
      if (/^\w*(Error|Exception)\b.*:/.test(line.trim())) lastError = line.trim().slice(0, 500);
      continue;
    }
    if (entry.kind === "event") {
      const ev = entry.event as Record<string, unknown>;
      if (ev.event === "train_begin") {
        began = true;
        if (typeof ev.max_steps === "number") totalSteps = ev.max_steps;
        if (typeof ev.resume_step === "number") {
          resumedFrom = ev.resume_step;
          lastStep = Math.max(lastStep, ev.resume_step);
        }
      }
      if (ev.event === "error" && typeof ev.message === "string")
        lastError = ev.message.slice(0, 500);
      continue;
    }
    // Transformers prints no step; sft.py adds it. Without one (Axolotl), count logging intervals.
    const step = entry.step ?? lastStep + 1;
    if (entry.values.train_runtime !== undefined) continue; // the end-of-run summary
    lastStep = Math.max(lastStep, step);
    began = true;
    for (const [name, value] of Object.entries(entry.values)) {
      if (!Number.isFinite(value)) continue;
      points.push({ trainingJobId: job.id, attempt: attempt.attempt, step, name, value });
    }
  }
  const now = new Date();
  await db().$transaction(async (tx) => {
    if (points.length) await tx.metricPoint.createMany({ data: points, skipDuplicates: true });
    await tx.trainingRunAttempt.update({
      where: { id: attempt.id },
      data: {
        logOffset: BigInt(nextOffset),
        lastStep,
        ...(resumedFrom !== null ? { resumedFromStep: resumedFrom } : {}),
        ...(began && attempt.status === "STARTING" ? { status: "RUNNING", runningAt: now } : {}),
        ...(lastError ? { error: lastError } : {}),
      },
    });
    const total = totalSteps ?? job.totalSteps;
    const runningAt = attempt.runningAt ?? (began ? now : null);
    const from = resumedFrom ?? attempt.resumedFromStep ?? 0;
    await tx.trainingJob.updateMany({
      where: { id: job.id, status: { in: ["STARTING", "RUNNING"] }, attempt: attempt.attempt },
      data: {
        ...(began ? { status: "RUNNING" } : {}),
        currentStep: lastStep,
        ...(totalSteps ? { totalSteps } : {}),
        progress: total ? Math.min(1, lastStep / total) : 0,
        etaSeconds: runningAt
          ? etaSeconds({
              elapsedSeconds: (now.getTime() - runningAt.getTime()) / 1000,
              stepsDone: lastStep - from,
              totalSteps: total ? total - from : null,
            })
          : null,
      },
    });
  });
  run.attempt = {
    ...attempt,
    logOffset: BigInt(nextOffset),
    lastStep,
    status: began && attempt.status === "STARTING" ? "RUNNING" : attempt.status,
    error: lastError ?? attempt.error,
  };
  return { lines: lines.length, points: points.length, lastError };
}

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
          where: { id: job.id, attempt: attempt.attempt, status: { in: ["STARTING", "RUNNING"] } },
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
        status: { in: ["QUEUED", "STARTING", "RUNNING"] },
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
