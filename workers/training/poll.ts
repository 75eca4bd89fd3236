/**
 * The training poller: a recurring tick that follows every active run through its executor, like
 * a Kubernetes controller — level-triggered and idempotent. Each tick, per run: read new output
 * (stored log, metric points, progress, ETA), then act on the executor's phase (finished, failed,
 * lost, timed out) or on a cancel the API recorded. Then it offers free executor slots to the
 * oldest QUEUED jobs. State lives in PostgreSQL, so a restarted worker or a flushed Redis just
 * picks up where the last tick left off.
 */
import { env } from "@/lib/server/core/env";
import { isInfrastructureFailure, retryAutomatically } from "@/lib/server/training/auto-retry";
import { withAttemptLock } from "@/lib/server/training/run-claims";
import { finishCancelled, finishFailed, finishSucceeded } from "@/lib/server/training/run-finish";
import { ingestOutput } from "@/lib/server/training/run-output";
import { activeAttempts, queuedJobs, type Run } from "@/lib/server/training/runs";
import { jobDir } from "@/lib/server/training/paths";
import { evaluateVersion } from "@/lib/server/evals/create-runs";
import type { Logger } from "../runtime";
import { executorFor } from "../executors";
import type { Executor, RunRef } from "../executors/types";
import { startClaimed, submitRun } from "./submit";

/**
 * A new candidate of a Model with an eval suite is evaluated with its base model and the
 * production version (identical earlier runs are reused). Failing to queue that must not undo
 * the training result: it is logged, and the evaluation can be started from the console.
 */
async function evaluateCandidate(modelVersionId: string, log: Logger) {
  try {
    const runs = await evaluateVersion(modelVersionId, { trigger: "CANDIDATE" });
    if (runs.suiteId) log("candidate evaluation queued", { modelVersionId, ...runs });
  } catch (e) {
    log("candidate evaluation could not be queued", {
      modelVersionId,
      error: (e as Error).message,
    });
  }
}

/** Reads everything the run has written so far (several chunks when it wrote a lot). */
async function drain(run: Run, executor: Executor, ref: RunRef) {
  for (let i = 0; i < 64; i++) {
    const chunk = await executor.readLogs(ref, Number(run.attempt.logOffset));
    if (chunk.nextOffset === Number(run.attempt.logOffset)) return;
    await ingestOutput(run, chunk.text, chunk.nextOffset);
  }
}

async function pollRun(run: Run, log: Logger): Promise<void> {
  const { job, attempt } = run;
  const executor = executorFor(job.executor);
  const ref: RunRef = {
    jobId: job.id,
    attempt: attempt.attempt,
    jobDir: jobDir(job.id),
    externalId: attempt.externalId,
  };
  const superseded = job.attempt !== attempt.attempt;
  // CANCELLED with an active attempt: a cancel recorded by a version before CANCELLING existed.
  if (job.status === "CANCELLING" || job.status === "CANCELLED" || superseded) {
    await executor.cancel(ref);
    await drain(run, executor, ref).catch(() => {});
    // CANCELLED is recorded only once the process is seen gone; if it is still stopping, the
    // next tick cancels again and looks again.
    // (PENDING after a cancel is a run that never started: this poller holds the attempt's lock,
    // so nobody is starting it now.)
    const after = await executor.status(ref);
    if (after.phase === "RUNNING") {
      log("training run still stopping", { jobId: job.id, attempt: attempt.attempt });
      return;
    }
    await finishCancelled(run);
    log("training run stopped", { jobId: job.id, attempt: attempt.attempt });
    return;
  }
  if (!attempt.externalId) {
    // Claimed but never started (the submitting worker died mid-start): start it now. The
    // submitting worker holds this lock while it starts, so reaching here means nobody is.
    await startClaimed(job.id, attempt.attempt, log);
    return;
  }
  await drain(run, executor, ref);
  const state = await executor.status(ref);
  if (state.phase === "SUCCEEDED") {
    await drain(run, executor, ref);
    const done = await finishSucceeded(run);
    if ("error" in done) await finishFailed(run, done.error, 0);
    await executor.cancel(ref).catch(() => {}); // remove the finished container / Job
    log("training run finished", { jobId: job.id, attempt: attempt.attempt, ...done });
    if ("modelVersionId" in done) await evaluateCandidate(done.modelVersionId, log);
    return;
  }
  if (state.phase === "FAILED" || state.phase === "LOST") {
    await drain(run, executor, ref).catch(() => {});
    const reason = state.message ?? `the run ${state.phase.toLowerCase()}`;
    await finishFailed(run, reason, state.exitCode ?? null);
    log("training run failed", {
      jobId: job.id,
      attempt: attempt.attempt,
      phase: state.phase,
      message: state.message,
    });
    // Killed from outside or lost: not the job's fault; the next attempt resumes by itself.
    if (isInfrastructureFailure(state)) {
      const retried = await retryAutomatically(run, reason);
      if (retried) log("training run retried automatically", { jobId: job.id, ...retried });
    }
    return;
  }
  const started = attempt.startedAt?.getTime() ?? Date.now();
  if (Date.now() - started > env().TRAINING_TIMEOUT_HOURS * 3_600_000) {
    await executor.cancel(ref);
    await finishFailed(
      run,
      `timed out after ${env().TRAINING_TIMEOUT_HOURS} h (TRAINING_TIMEOUT_HOURS)`,
    );
  }
}

export async function pollTraining(log: Logger): Promise<{ runs: number; submitted: number }> {
  const attempts = await activeAttempts();
  for (const a of attempts) {
    const { trainingJob: job, ...attempt } = a;
    try {
      await withAttemptLock(attempt.id, () => pollRun({ job, attempt }, log));
    } catch (e) {
      log("training poll error", {
        jobId: job.id,
        attempt: attempt.attempt,
        error: (e as Error).message,
      });
    }
  }
  let submitted = 0;
  for (const q of await queuedJobs()) {
    try {
      const r = await submitRun(q.id, q.attempt, log);
      if (r === "started") submitted++;
    } catch (e) {
      log("training submit error", { jobId: q.id, error: (e as Error).message });
    }
  }
  return { runs: attempts.length, submitted };
}
