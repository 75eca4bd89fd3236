/**
 * Training jobs as the API and console see them: list, detail, metrics, logs, cancel, retry.
 * Every read and write is authorized and scoped by team here. Cancel is a state change only: the
 * worker's poller sees a CANCELLING job whose attempt is still active and stops the run, so the
 * web process never needs to reach an executor.
 */
import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import path from "node:path";
import { computeTime } from "@/lib/domain/compute-time";
import { evalLossWarning, type MetricSample } from "@/lib/domain/training-signals";
import {
  canCancel,
  canRetry,
  cancelTarget,
  type TrainingStatus,
} from "@/lib/domain/training-status";
import {
  computeSchema,
  createTrainingJobBodySchema,
  estimateSchema,
  type TrainingJob,
  type TrainingJobAction,
  type TrainingJobSummary,
} from "@/lib/schemas/training-jobs";
import type { z } from "zod";
import type {
  logsQuerySchema,
  metricsQuerySchema,
  trainingJobListQuerySchema,
} from "@/lib/schemas/training-jobs";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { conflict, notFound } from "@/lib/server/core/errors";
import type {
  TrainingJob as JobRow,
  TrainingRunAttempt as AttemptRow,
  Model as ModelRow,
} from "@/lib/server/generated/prisma/client";
import { dispatchNow, enqueueInTx } from "@/lib/server/core/outbox";
import type { Principal } from "@/lib/server/core/principal";
import { bus } from "@/lib/server/core/queues";
import { containsText } from "@/lib/server/core/search";
import { planBackend } from "./backends";
import { keptCheckpoints } from "./checkpoint-files";
import { outputDir, storedLogPath } from "./paths";
import { refuseUnrunnable } from "./readiness";

type JobWith = JobRow & { model: ModelRow; modelVersion: { id: string } | null };

const include = { model: true, modelVersion: { select: { id: true } } } as const;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** 1-based positions of QUEUED jobs per executor, oldest first (the order slots are given in). */
async function queuePositions(jobs: JobRow[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const queued = jobs.filter((j) => j.status === "QUEUED");
  for (const j of queued) {
    const ahead = await db().trainingJob.count({
      where: { status: "QUEUED", executor: j.executor, createdAt: { lt: j.createdAt } },
    });
    out.set(j.id, ahead + 1);
  }
  return out;
}

function toSummary(j: JobWith, position: number | null): TrainingJobSummary {
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    model: { id: j.model.id, name: j.model.name },
    baseModel: j.baseModel,
    method: j.method as "LORA" | "QLORA",
    backend: j.backend,
    executor: j.executor,
    trigger: j.trigger,
    attempt: j.attempt,
    progress: j.progress,
    currentStep: j.currentStep,
    totalSteps: j.totalSteps,
    etaSeconds: j.status === "RUNNING" ? j.etaSeconds : null,
    queuePosition: position,
    datasetVersionId: j.datasetVersionId,
    evalDatasetVersionId: j.evalDatasetVersionId,
    modelVersionId: j.modelVersion?.id ?? null,
    costUsd: j.costUsd,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    startedAt: iso(j.startedAt),
    finishedAt: iso(j.finishedAt),
  };
}

export async function loadJob(p: Principal, id: string): Promise<JobWith> {
  const job = await db().trainingJob.findFirst({ where: { id, teamId: p.teamId }, include });
  if (!job) throw notFound("training job", id);
  return job;
}

export async function listTrainingJobs(
  p: Principal,
  q: z.infer<typeof trainingJobListQuerySchema>,
): Promise<TrainingJobSummary[]> {
  authorize(p, "team.read");
  const jobs = await db().trainingJob.findMany({
    where: {
      teamId: p.teamId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.trigger ? { trigger: q.trigger } : {}),
      ...(q.baseModel ? { baseModel: q.baseModel } : {}),
      ...(q.model ? { model: { OR: [{ id: q.model }, { name: q.model }] } } : {}),
      // The job's name, its Model's name or its base model's id ("tiny" finds retune-tiny-chat).
      ...(q.q
        ? {
            OR: [
              { name: containsText(q.q) },
              { model: { name: containsText(q.q) } },
              { baseModel: containsText(q.q) },
            ],
          }
        : {}),
    },
    include,
    orderBy: { createdAt: "desc" },
    take: q.limit,
  });
  const positions = await queuePositions(jobs);
  return jobs.map((j) => toSummary(j, positions.get(j.id) ?? null));
}

function toAttempt(a: AttemptRow) {
  return {
    attempt: a.attempt,
    status: a.status,
    externalId: a.externalId,
    resume: a.resume,
    resumedFromStep: a.resumedFromStep,
    lastStep: a.lastStep,
    exitCode: a.exitCode,
    error: a.error,
    createdAt: a.createdAt.toISOString(),
    startedAt: iso(a.startedAt),
    runningAt: iso(a.runningAt),
    finishedAt: iso(a.finishedAt),
  };
}

/**
 * Files at the top of the job's output folder (the adapter) and its kept checkpoint folders
 * ("checkpoint-20/", bytes: the folder's files in all, as its download carries them).
 */
async function listArtifacts(jobId: string) {
  const dir = outputDir(jobId);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: { name: string; bytes: number }[] = [];
  for (const e of entries) {
    if (e.isFile()) out.push({ name: e.name, bytes: (await stat(path.join(dir, e.name))).size });
  }
  for (const c of await keptCheckpoints(jobId)) out.push({ name: `${c.name}/`, bytes: c.bytes });
  return out.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

export async function getTrainingJob(p: Principal, id: string): Promise<TrainingJob> {
  authorize(p, "team.read");
  const job = await loadJob(p, id);
  const attempts = await db().trainingRunAttempt.findMany({
    where: { trainingJobId: job.id },
    orderBy: { attempt: "asc" },
  });
  const [position] = [(await queuePositions([job])).get(job.id) ?? null];
  const spec = createTrainingJobBodySchema.parse(job.spec);
  const current = attempts.at(-1);
  const plan = planBackend(spec, {
    jobId: job.id,
    attempt: job.attempt,
    resume: current?.resume ?? false,
    totalSteps: job.totalSteps ?? 1,
    hasEvalRows: true,
  });
  const estimate = job.estimate ? estimateSchema.safeParse(job.estimate) : null;
  const compute = computeTime(spec.compute, attempts);
  // No attempt has started: no curves to read.
  const curves = compute ? await lossCurves(job.id) : null;
  const rising = curves ? evalLossWarning(curves) : null;
  return {
    ...toSummary(job, position),
    spec,
    estimate: estimate?.success ? estimate.data : null,
    gpuSeconds: compute?.device === "GPU" ? compute.seconds : null,
    compute,
    warnings: [...(estimate?.success ? estimate.data.warnings : []), ...(rising ? [rising] : [])],
    attempts: attempts.map(toAttempt),
    config: plan.config,
    command: plan.command,
    artifacts: await listArtifacts(job.id),
    createdBy: job.createdById,
  };
}

/** Train and eval loss by step, a newer attempt's value replacing an older one's (as getMetrics). */
async function lossCurves(jobId: string): Promise<MetricSample[]> {
  const rows = await db().$queryRaw<{ step: number; name: string; value: number }[]>`
    SELECT DISTINCT ON (name, step) step, name, value FROM "MetricPoint"
    WHERE "trainingJobId" = ${jobId} AND name IN ('loss', 'eval_loss')
    ORDER BY name, step, attempt DESC`;
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

export async function getMetrics(p: Principal, id: string, q: z.infer<typeof metricsQuerySchema>) {
  authorize(p, "team.read");
  const job = await loadJob(p, id);
  // After a resume, the newer attempt's value for a step replaces the older one's.
  const rows = await db().$queryRaw<
    { step: number; name: string; value: number; attempt: number }[]
  >`
    SELECT DISTINCT ON (name, step) step, name, value, attempt FROM "MetricPoint"
    WHERE "trainingJobId" = ${job.id}
      AND (${q.name ?? null}::text IS NULL OR name = ${q.name ?? null})
      AND step > ${q.afterStep ?? -1}
    ORDER BY name, step, attempt DESC`;
  return { points: rows.map((r) => ({ ...r, value: Number(r.value) })) };
}

export async function readLogs(p: Principal, id: string, q: z.infer<typeof logsQuerySchema>) {
  authorize(p, "team.read");
  const job = await loadJob(p, id);
  const attemptNo = q.attempt ?? job.attempt;
  const attempt = await db().trainingRunAttempt.findUnique({
    where: { trainingJobId_attempt: { trainingJobId: job.id, attempt: attemptNo } },
  });
  if (!attempt) throw notFound("attempt", `${job.id}#${attemptNo}`);
  const finished = ["SUCCEEDED", "FAILED", "CANCELLED"].includes(attempt.status);
  const file = await open(storedLogPath(job.id, attemptNo)).catch(() => null);
  if (!file) return { attempt: attemptNo, text: "", next: q.after, complete: finished };
  try {
    const { size } = await file.stat();
    const from = Math.min(q.after, size);
    const buf = Buffer.alloc(Math.min(q.limit, size - from));
    const { bytesRead } = await file.read(buf, 0, buf.length, from);
    // Cut at the last newline so a multi-byte character or a line is never split across calls.
    const lastNl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    const take = bytesRead < size - from ? lastNl + 1 : bytesRead;
    const next = from + take;
    return {
      attempt: attemptNo,
      text: buf.subarray(0, take).toString("utf8"),
      next,
      complete: finished && next >= size,
    };
  } finally {
    await file.close();
  }
}

/** The whole stored log of an attempt, as a download. */
export async function downloadLog(p: Principal, id: string, attempt?: number): Promise<Response> {
  authorize(p, "team.read");
  const job = await loadJob(p, id);
  const n = attempt ?? job.attempt;
  const file = storedLogPath(job.id, n);
  const size = await stat(file).then(
    (s) => s.size,
    () => null,
  );
  if (size === null) throw notFound("log of attempt", `${job.id}#${n}`);
  const name = `${job.name.replace(/[^\w.-]+/g, "_")}-attempt-${n}.log`;
  const stream = Readable.toWeb(
    createReadStream(file, { end: size - 1 }),
  ) as ReadableStream<Uint8Array>;
  return new Response(size === 0 ? "" : stream, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
    },
  });
}

export async function cancelTrainingJob(p: Principal, id: string): Promise<TrainingJobAction> {
  authorize(p, "resource.write");
  // The worker moves a job on by itself (QUEUED → STARTING → RUNNING); a cancel that lands
  // between its read and its write reads the job again instead of answering 409, since every
  // one of those states can be cancelled. Only a job that keeps moving is a conflict.
  for (let tries = 1; ; tries++) {
    const done = await cancelOnce(p, id);
    if (done) return done;
    if (tries === 3) throw conflict(`job ${id} changed status meanwhile; reload and try again`);
  }
}

/** One cancel of the job as read now; null when its status changed before the write. */
async function cancelOnce(p: Principal, id: string) {
  const job = await loadJob(p, id);
  // A repeated cancel while the trainer is being stopped changes nothing.
  if (job.status === "CANCELLING") return { id: job.id, status: job.status as TrainingStatus };
  if (!canCancel(job.status))
    throw conflict(
      `job ${job.id} is ${job.status}; only QUEUED, STARTING or RUNNING jobs can be cancelled`,
    );
  const now = new Date();
  // A queued job has no process: CANCELLED at once. A starting or running one is CANCELLING
  // until the worker's poller has stopped its trainer and seen it gone; only then CANCELLED, so
  // its executor slot is never counted free while the process still runs.
  const to = cancelTarget(job.status);
  const moved = await db().$transaction(async (tx) => {
    const { count } = await tx.trainingJob.updateMany({
      where: { id: job.id, status: job.status },
      data:
        to === "CANCELLED"
          ? { status: to, finishedAt: now, etaSeconds: null, error: null }
          : { status: to, etaSeconds: null, error: null },
    });
    if (count === 0) return false;
    // A queued attempt never started: nothing to stop. Active ones are stopped by the poller.
    await tx.trainingRunAttempt.updateMany({
      where: { trainingJobId: job.id, attempt: job.attempt, status: "QUEUED" },
      data: { status: "CANCELLED", finishedAt: now },
    });
    await recordAudit(
      {
        ...actorOf(p),
        action: "training-job.cancel",
        targetType: "training-job",
        targetId: job.id,
        metadata: { from: job.status },
      },
      tx,
    );
    return true;
  });
  return moved ? { id: job.id, status: to as TrainingStatus } : null;
}

export async function retryTrainingJob(
  p: Principal,
  id: string,
  opts: { resume: boolean },
): Promise<TrainingJobAction> {
  authorize(p, "resource.write");
  const job = await loadJob(p, id);
  // Its trainer may still run: a new attempt now would run two trainers of one job at once, on
  // one output folder (issue 14). The poller records CANCELLED once the process is gone.
  if (job.status === "CANCELLING")
    throw conflict(
      `job ${job.id} is still stopping its trainer (CANCELLING); retry once it is CANCELLED`,
    );
  if (!canRetry(job.status))
    throw conflict(`job ${job.id} is ${job.status}; only FAILED or CANCELLED jobs can be retried`);
  // A run this deployment cannot start would only fail again: refuse with the reason, as launch
  // does. The fields the check reads are the row's own columns and the stored spec's compute.
  const compute = computeSchema.safeParse((job.spec as { compute?: unknown } | null)?.compute);
  await refuseUnrunnable({
    method: job.method === "QLORA" ? "QLORA" : "LORA",
    backend: job.backend,
    executor: job.executor,
    compute: compute.success ? compute.data : { gpuType: "CPU", gpuCount: 1 },
  });
  const next = job.attempt + 1;
  await db().$transaction(async (tx) => {
    const moved = await tx.trainingJob.updateMany({
      where: { id: job.id, status: job.status, attempt: job.attempt },
      data: { status: "QUEUED", attempt: next, error: null, finishedAt: null, etaSeconds: null },
    });
    if (moved.count === 0) throw conflict(`job ${job.id} changed meanwhile; reload and try again`);
    await tx.trainingRunAttempt.create({
      data: { trainingJobId: job.id, attempt: next, resume: opts.resume },
    });
    await enqueueInTx(tx, "training", { trainingJobId: job.id, attempt: next });
    await recordAudit(
      {
        ...actorOf(p),
        action: "training-job.retry",
        targetType: "training-job",
        targetId: job.id,
        metadata: { attempt: next, resume: opts.resume },
      },
      tx,
    );
  });
  await dispatchNow(bus(), "training", { trainingJobId: job.id, attempt: next });
  return { id: job.id, status: "QUEUED" as TrainingStatus, attempt: next };
}
