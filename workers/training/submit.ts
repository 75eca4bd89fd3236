/**
 * The `training` queue's submit: claim an executor slot, prepare the job folder, start the run.
 * Never waits for the run (docs/architecture.md, "Processes and stores") — the poller follows it from here. Safe to repeat: the
 * claim is a guarded transition and executors' `start` finds a run they already started.
 */
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { autoRetryWaitMs } from "@/lib/server/training/auto-retry";
import { maxConcurrent } from "@/lib/server/training/launch";
import { claimAndStart, withAttemptLock } from "@/lib/server/training/run-claims";
import { finishFailed } from "@/lib/server/training/run-finish";
import { jobDir } from "@/lib/server/training/paths";
import { refreshed, loadRun, recordExternalId, type Run } from "@/lib/server/training/runs";
import type { Logger } from "../runtime";
import { executorFor } from "../executors";
import { prepareRun } from "./prepare";

export type SubmitResult = "started" | "wait" | "skip" | "failed";

/** Preparing a large dataset's split can take minutes; the attempt stays locked meanwhile. */
const START_LOCK_MS = 30 * 60_000;

/**
 * Claims a slot for a QUEUED attempt and starts it. The start itself runs under the attempt's
 * advisory lock, so the poller (which re-drives a STARTING attempt that has no run handle, after
 * a worker died mid-start) never prepares or starts the same attempt concurrently.
 */
export async function submitRun(
  jobId: string,
  attempt: number,
  log: Logger,
): Promise<SubmitResult> {
  const run = await loadRun(jobId, attempt);
  if (!run) return "skip";
  if (run.job.status === "QUEUED") {
    // Fencing by attempt: attempt N+1 never starts while attempt N's process lives (a cancel or
    // a failure recorded before the executor saw every process of it gone). It stays QUEUED and
    // the poller offers it the slot again next tick.
    if (await earlierAttemptAlive(run)) {
      log("training run waits for its previous attempt to stop", { jobId, attempt });
      return "wait";
    }
    // An automatic retry waits out its backoff; the poller offers it the slot every tick.
    if ((await autoRetryWaitMs(run)) > 0) return "wait";
    // The claim, the attempt lock and the re-read in one round trip (claimAndStart).
    const { outcome, result } = await claimAndStart(
      run,
      maxConcurrent(run.job.executor),
      (fresh) => startClaimed(jobId, attempt, log, fresh, true),
      START_LOCK_MS,
    );
    if (outcome !== "claimed") return outcome;
    return result ?? "skip";
  }
  const result = await withAttemptLock(
    run.attempt.id,
    () => startClaimed(jobId, attempt, log, run),
    START_LOCK_MS,
  );
  return result ?? "skip";
}

async function earlierAttemptAlive(run: Run): Promise<boolean> {
  if (run.attempt.attempt <= 1) return false;
  const previous = await db().trainingRunAttempt.findUnique({
    where: {
      trainingJobId_attempt: { trainingJobId: run.job.id, attempt: run.attempt.attempt - 1 },
    },
    select: { attempt: true, externalId: true },
  });
  // Never started: no process to wait for.
  if (!previous?.externalId) return false;
  const state = await executorFor(run.job.executor).status({
    jobId: run.job.id,
    attempt: previous.attempt,
    jobDir: jobDir(run.job.id),
    externalId: previous.externalId,
  });
  return state.phase === "RUNNING";
}

/**
 * Prepares and starts a claimed (STARTING) attempt that has no run yet. Call under its lock.
 * `loaded` (submit's own read, before its claim) spares a second read: only the fields a claim
 * or a competing start can change are read again, now that the lock is held.
 */
export async function startClaimed(
  jobId: string,
  attempt: number,
  log: Logger,
  loaded?: Run,
  /** `loaded` was read under this lock already (claimAndStart). */
  fresh = false,
): Promise<SubmitResult> {
  const run =
    fresh && loaded ? loaded : loaded ? await refreshed(loaded) : await loadRun(jobId, attempt);
  if (
    !run ||
    run.job.status !== "STARTING" ||
    run.job.attempt !== attempt ||
    run.attempt.externalId
  )
    return "skip";
  const executor = executorFor(run.job.executor);
  let launch;
  try {
    ({ launch } = await prepareRun(run));
  } catch (e) {
    await finishFailed(run, `could not prepare the run: ${(e as Error).message}`);
    log("training run preparation failed", { jobId, attempt, error: (e as Error).message });
    return "failed";
  }
  launch.timeoutSeconds = Math.round(env().TRAINING_TIMEOUT_HOURS * 3600);
  const { externalId } = await executor.start(launch);
  const status = await recordExternalId(jobId, attempt, externalId);
  log("training run started", { jobId, attempt, executor: executor.kind, externalId });
  // Cancelled while we were starting it: the poller may have looked before the run existed.
  if (status === "CANCELLED") {
    await executor.cancel({ jobId, attempt, jobDir: launch.jobDir, externalId });
  }
  return "started";
}
