/**
 * Taking in a run's output: the executor's new bytes appended to the stored log, its trainer lines
 * turned into metric points, progress and ETA. Idempotent, like every step of a run.
 */
import { mkdir, open, truncate } from "node:fs/promises";
import path from "node:path";
import { ACTIVE_STATUSES, etaSeconds } from "@/lib/domain/training-status";
import {
  isTrainerHeadline,
  parseTrainerLine,
  trainerErrorHeadline,
} from "@/lib/domain/trainer-log";
import { db, type Prisma } from "@/lib/server/core/db";
import { storedLogPath } from "./paths";
import type { Run } from "./runs";

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
  // The trainer's own error event is the headline; once it has spoken, a traceback's last line
  // (kept otherwise, for trainers that print none) no longer replaces it.
  let spoke = isTrainerHeadline(attempt.error);
  const lines = text ? text.split("\n") : [];
  for (const line of lines) {
    const entry = parseTrainerLine(line);
    if (!entry) {
      if (!spoke && /^\w*(Error|Exception)\b.*:/.test(line.trim()))
        lastError = line.trim().slice(0, 500);
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
      if (entry.event.event === "error") {
        lastError = trainerErrorHeadline(entry.event);
        spoke = true;
      }
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
      where: { id: job.id, status: { in: [...ACTIVE_STATUSES] }, attempt: attempt.attempt },
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
