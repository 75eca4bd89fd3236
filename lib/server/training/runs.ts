/**
 * The worker's side of a training job's lifecycle, as guarded database transitions: claim a slot,
 * record the run, take in its output (stored log + metric points + progress), and finish it —
 * registering a CANDIDATE ModelVersion on success. Every step is idempotent, because the poller
 * is level-triggered and may repeat any of them after a crash.
 *
 * This file loads, lists and records runs; the transitions live beside it: run-claims.ts (slot
 * claim and attempt lock), run-output.ts (output) and run-finish.ts (the end of a run).
 */
import { ACTIVE_STATUSES } from "@/lib/domain/training-status";
import { db, sql } from "@/lib/server/core/db";
import type {
  TrainingJob as JobRow,
  TrainingRunAttempt as AttemptRow,
} from "@/lib/server/generated/prisma/client";

export type Run = { job: JobRow; attempt: AttemptRow };

/**
 * A job and one of its attempts, read in one statement through pg (see sql() in core/db): the
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
    where: { status: { in: [...ACTIVE_STATUSES] } },
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

export type RefreshRow = {
  status: JobRow["status"];
  attempt: number;
  externalId: string | null;
  startedAt: Date | null;
  attemptStatus: AttemptRow["status"];
};

export const REFRESH = (attemptId: string) => `
  SELECT j.status, j.attempt, a."externalId", a.status AS "attemptStatus",
         j."startedAt" AT TIME ZONE 'UTC' AS "startedAt"
  FROM "TrainingRunAttempt" a JOIN "TrainingJob" j ON j.id = a."trainingJobId"
  WHERE a.id = ${attemptId}`;

export function withRefresh(run: Run, r: RefreshRow | undefined): Run | null {
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
