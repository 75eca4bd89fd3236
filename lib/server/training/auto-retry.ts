/**
 * Automatic retries of infrastructure failures (issue 14): a trainer killed from outside (SIGKILL,
 * the OOM killer: status 137) or lost (its process gone without a status) is not the job's fault,
 * and a retry resumes from its newest checkpoint, so the poller adds the next attempt itself — a
 * bounded number of times in a row (TRAINING_AUTO_RETRIES), each after a doubling backoff
 * (TRAINING_AUTO_RETRY_BACKOFF_S, waited out by submit). A failure of the trainer's own (a bad spec
 * or data, its error exit codes) is deterministic and never retried.
 */
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { recordAudit } from "@/lib/server/core/audit";
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { enqueueInTx } from "@/lib/server/core/outbox";
import { storedLogPath } from "./paths";
import type { Run } from "./runs";

/** SIGKILL (128 + 9): the kernel's OOM killer, or someone's kill -9. */
const KILLED = 137;

/** The run ended for a reason outside the trainer: worth another attempt. */
export function isInfrastructureFailure(state: { phase: string; exitCode?: number | null }) {
  return state.phase === "LOST" || (state.phase === "FAILED" && state.exitCode === KILLED);
}

/** Automatic attempts in a row ending with `attempt` (0 when it was started by a user). */
async function automaticStreak(jobId: string, attempt: number): Promise<number> {
  const rows = await db().trainingRunAttempt.findMany({
    where: { trainingJobId: jobId, attempt: { lte: attempt } },
    orderBy: { attempt: "desc" },
    select: { automatic: true },
  });
  let n = 0;
  for (const r of rows) {
    if (!r.automatic) break;
    n++;
  }
  return n;
}

/** How long an automatic attempt waits after the failure before it, by its place in the streak. */
export function autoRetryBackoffMs(streak: number): number {
  return env().TRAINING_AUTO_RETRY_BACKOFF_S * 1000 * 2 ** Math.max(0, streak - 1);
}

/**
 * Submit's wait: an automatic attempt starts only once its backoff since the failed attempt has
 * passed. Returns the milliseconds still to wait (0: go).
 */
export async function autoRetryWaitMs(run: Run): Promise<number> {
  if (!run.attempt.automatic) return 0;
  const previous = await db().trainingRunAttempt.findUnique({
    where: {
      trainingJobId_attempt: { trainingJobId: run.job.id, attempt: run.attempt.attempt - 1 },
    },
    select: { finishedAt: true },
  });
  const since = previous?.finishedAt?.getTime() ?? run.attempt.createdAt.getTime();
  const streak = await automaticStreak(run.job.id, run.attempt.attempt);
  return Math.max(0, since + autoRetryBackoffMs(streak) - Date.now());
}

/** A line in the failed attempt's stored log, so the log says what happened next. */
async function note(jobId: string, attempt: number, line: string) {
  const file = storedLogPath(jobId, attempt);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `[retune] ${line}\n`);
}

/**
 * Called by the poller right after `finishFailed` for an infrastructure failure: FAILED → QUEUED
 * with attempt N+1 (resuming), its submit in the outbox, and an audit event, in one transaction;
 * or, with the retries spent, the job stays FAILED and its log says so.
 */
export async function retryAutomatically(
  run: Run,
  reason: string,
): Promise<{ attempt: number; retry: number; of: number; backoffMs: number } | null> {
  const { job, attempt } = run;
  const max = env().TRAINING_AUTO_RETRIES;
  const done = await automaticStreak(job.id, attempt.attempt);
  if (done >= max) {
    if (max > 0)
      await note(
        job.id,
        attempt.attempt,
        `attempt ${attempt.attempt} failed (${reason}); automatic retries spent (${max} in a row): the job stays FAILED`,
      ).catch(() => {});
    return null;
  }
  const next = attempt.attempt + 1;
  const retry = done + 1;
  const backoffMs = autoRetryBackoffMs(retry);
  const moved = await db().$transaction(async (tx) => {
    const moved = await tx.trainingJob.updateMany({
      where: { id: job.id, status: "FAILED", attempt: attempt.attempt },
      data: { status: "QUEUED", attempt: next, finishedAt: null, etaSeconds: null },
    });
    if (moved.count === 0) return false; // a user retried (or something else moved it) first
    await tx.trainingRunAttempt.create({
      data: { trainingJobId: job.id, attempt: next, resume: true, automatic: true },
    });
    await enqueueInTx(tx, "training", { trainingJobId: job.id, attempt: next });
    await recordAudit(
      {
        teamId: job.teamId,
        action: "training-job.auto-retry",
        targetType: "training-job",
        targetId: job.id,
        metadata: {
          attempt: next,
          failedAttempt: attempt.attempt,
          reason,
          retry,
          of: max,
          backoffMs,
        },
      },
      tx,
    );
    return true;
  });
  if (!moved) return null;
  await note(
    job.id,
    attempt.attempt,
    `attempt ${attempt.attempt} failed (${reason}); retrying automatically as attempt ${next} in ${Math.round(backoffMs / 1000)} s, resuming from the newest checkpoint (automatic retry ${retry} of ${max})`,
  ).catch(() => {});
  return { attempt: next, retry, of: max, backoffMs };
}
