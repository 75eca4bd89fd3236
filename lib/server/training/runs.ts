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
import { recordAudit } from "@/lib/server/core/audit";
import { db, Prisma, sql } from "@/lib/server/core/db";
import type {
  TrainingJob as JobRow,
  TrainingRunAttempt as AttemptRow,
} from "@/lib/server/generated/prisma/client";
import { artifactPath } from "@/lib/server/core/artifacts";
import { modelVersionUri, outputDir, storedLogPath } from "./paths";

export type Run = { job: JobRow; attempt: AttemptRow };

/**
 * A job and one of its attempts, read in one statement through pg (see sql() in ./db): the
 * submit and poll paths read runs constantly, and Prisma's include costs two queries and ~3 ms of
 * CPU where this costs ~0.3 ms. to_jsonb keeps the row shapes Prisma's types describe; only the
 * timestamps (UTC, without zone in the table) and the BigInt offset need converting back.
 */
export async function loadRun(jobId: string, attempt: number): Promise<Run | null> {
  const { rows } = await sql().query<{
    job: Record<string, unknown>;
    attempt: Record<string, unknown>;
  }>(
    `SELECT to_jsonb(j) AS job, to_jsonb(a) AS attempt
     FROM "TrainingRunAttempt" a JOIN "TrainingJob" j ON j.id = a."trainingJobId"
     WHERE a."trainingJobId" = $1 AND a.attempt = $2`,
    [jobId, attempt],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    job: withDates(row.job, JOB_DATES) as JobRow,
    attempt: {
      ...(withDates(row.attempt, ATTEMPT_DATES) as AttemptRow),
      logOffset: BigInt(row.attempt.logOffset as number | string),
    },
  };
}

const JOB_DATES = ["createdAt", "updatedAt", "startedAt", "finishedAt"] as const;
const ATTEMPT_DATES = ["createdAt", "startedAt", "runningAt", "finishedAt"] as const;

function withDates(o: Record<string, unknown>, keys: readonly string[]) {
  const out = { ...o };
  for (const k of keys) {
    const v = out[k];
    if (typeof v === "string") out[k] = new Date(`${v}Z`);
  }
  return out;
}

/**
 * QUEUED → STARTING when the executor has a free slot and no older job is waiting for it (FIFO).
 * A transaction-scoped advisory lock per executor serializes claims, so two workers can never
 * both take the last slot; the counts run after the lock is held, so they see every claim
 * committed before ours. Sent by claimAndStart, with plain SQL (see sql() in ./db).
 */
const CLAIM_SLOT = `
  WITH j AS (
    SELECT id, "createdAt" FROM "TrainingJob" WHERE id = $1 AND status = 'QUEUED' AND attempt = $2
  ), free AS (
    SELECT
      (SELECT count(*) FROM "TrainingJob"
        WHERE executor = $3::"ExecutorKind" AND status IN ('STARTING', 'RUNNING'))
      + (SELECT count(*) FROM "TrainingJob" t, j
        WHERE t.executor = $3::"ExecutorKind" AND t.status = 'QUEUED' AND t."createdAt" < j."createdAt")
      < $4 AS ok
  ), claimed AS (
    UPDATE "TrainingJob" t
    SET status = 'STARTING', error = NULL,
        "startedAt" = coalesce(t."startedAt", now() AT TIME ZONE 'UTC'),
        "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM j, free WHERE t.id = j.id AND free.ok
    RETURNING t.id
  ), attempt AS (
    UPDATE "TrainingRunAttempt" a
    SET status = 'STARTING', "startedAt" = now() AT TIME ZONE 'UTC'
    FROM claimed WHERE a."trainingJobId" = claimed.id AND a.attempt = $2 AND a.status = 'QUEUED'
  )
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM claimed) THEN 'claimed'
    WHEN EXISTS (SELECT 1 FROM j) THEN 'wait'
    ELSE 'skip'
  END AS outcome`;

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

/**
 * Records the run's handle and returns the job's status as of now, in one statement. Called under
 * the attempt lock, so the poller cannot look in between; a cancel committed after this read is
 * seen by the poller, which then finds the handle and stops the run.
 */
export async function recordExternalId(
  jobId: string,
  attempt: number,
  externalId: string,
): Promise<JobRow["status"] | null> {
  const { rows } = await sql().query<{ status: JobRow["status"] }>(
    `WITH u AS (
       UPDATE "TrainingRunAttempt" SET "externalId" = $3 WHERE "trainingJobId" = $1 AND attempt = $2
     )
     SELECT status FROM "TrainingJob" WHERE id = $1`,
    [jobId, attempt, externalId],
  );
  return rows[0]?.status ?? null;
}

type RefreshRow = {
  status: JobRow["status"];
  attempt: number;
  externalId: string | null;
  startedAt: Date | null;
  attemptStatus: AttemptRow["status"];
};

const REFRESH = (attemptId: string) => `
  SELECT j.status, j.attempt, a."externalId", a.status AS "attemptStatus",
         j."startedAt" AT TIME ZONE 'UTC' AS "startedAt"
  FROM "TrainingRunAttempt" a JOIN "TrainingJob" j ON j.id = a."trainingJobId"
  WHERE a.id = ${attemptId}`;

function withRefresh(run: Run, r: RefreshRow | undefined): Run | null {
  if (!r) return null;
  return {
    job: { ...run.job, status: r.status, attempt: r.attempt, startedAt: r.startedAt },
    attempt: { ...run.attempt, externalId: r.externalId, status: r.attemptStatus },
  };
}

/** `run` with the fields a claim, a cancel or another start may have changed read again. */
export async function refreshed(run: Run): Promise<Run | null> {
  const { rows } = await sql().query<RefreshRow>(REFRESH("$1"), [run.attempt.id]);
  return withRefresh(run, rows[0]);
}

/**
 * Submit's critical path in one round trip: the claim (its own transaction, exactly as
 * claimSlot), then the attempt's lock transaction opened and the claimed fields read back — one
 * simple-protocol message on one connection. When the slot is claimed and the attempt locked,
 * `fn` runs with the fresh run while the lock is held (as withAttemptLock); otherwise it does not.
 */
export async function claimAndStart<T>(
  run: Run,
  limit: number,
  fn: (fresh: Run) => Promise<T>,
  timeoutMs: number,
): Promise<{ outcome: "claimed" | "wait" | "skip"; result: T | null }> {
  const { job, attempt } = run;
  if (!Number.isInteger(attempt.attempt) || !Number.isInteger(limit)) throw new Error("bad claim");
  const client = await sql().connect();
  let dropped = false;
  const timer = setTimeout(() => {
    dropped = true;
    client.release(new Error(`attempt lock held longer than ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    const lit = (v: string) => client.escapeLiteral(v);
    const results = (await client.query(
      `BEGIN;
       SELECT pg_advisory_xact_lock(hashtext(${lit(`retune:training-slots:${job.executor}`)}));
       ${CLAIM_SLOT.replaceAll("$1", lit(job.id))
         .replaceAll("$2", String(attempt.attempt))
         .replaceAll("$3", lit(job.executor))
         .replaceAll("$4", String(limit))};
       COMMIT;
       BEGIN;
       SELECT pg_try_advisory_xact_lock(hashtext(${lit(`retune:attempt:${attempt.id}`)})) AS locked;
       ${REFRESH(lit(attempt.id))};`,
    )) as unknown as { rows: Record<string, unknown>[] }[];
    const outcome =
      (results[2]?.rows[0]?.outcome as "claimed" | "wait" | "skip" | undefined) ?? "skip";
    if (outcome !== "claimed") return { outcome, result: null };
    // Claimed, but another worker's poller holds the attempt (it re-drives starts): it starts it.
    if (!results[5]?.rows[0]?.locked) return { outcome, result: null };
    const fresh = withRefresh(run, results[6]?.rows[0] as RefreshRow | undefined);
    return { outcome, result: fresh ? await fn(fresh) : null };
  } catch (e) {
    if (!dropped) await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
    if (!dropped) {
      await client.query("COMMIT").catch(() => {});
      client.release();
    }
  }
}

/**
 * Runs `fn` while holding a transaction-scoped advisory lock on one attempt, or skips it when
 * another poller holds it. Keeps two workers from ingesting the same output twice. The lock
 * lives on a dedicated connection: a crashed worker's connection closes and frees it; after
 * `timeoutMs` the connection is dropped, freeing it too.
 */
export async function withAttemptLock<T>(
  attemptId: string,
  fn: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T | null> {
  const client = await sql().connect();
  let dropped = false;
  const timer = setTimeout(() => {
    dropped = true;
    client.release(new Error(`attempt lock held longer than ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    // One round trip: BEGIN and the try-lock as one simple-protocol message.
    const results = (await client.query(
      `BEGIN; SELECT pg_try_advisory_xact_lock(hashtext(${client.escapeLiteral(`retune:attempt:${attemptId}`)})) AS locked;`,
    )) as unknown as { rows: { locked?: boolean }[] }[];
    if (!results[1]?.rows[0]?.locked) return null;
    return await fn();
  } finally {
    clearTimeout(timer);
    if (!dropped) {
      await client.query("COMMIT").catch(() => {});
      client.release();
    }
  }
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
