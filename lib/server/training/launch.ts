/**
 * Launching a training job: the request resolved into a complete spec (a preset adapted to the
 * base model and the dataset, lib/domain/training-spec.ts), everything checked before a GPU is
 * rented (dataset ready, the executor can run it here, estimate fits), then the job, its first
 * attempt and the outbox row in one transaction. An Idempotency-Key makes a repeated launch
 * return the first job.
 */
import { createHash } from "node:crypto";
import { findBaseModel } from "@/lib/domain/base-models";
import { estimateTraining } from "@/lib/domain/training-estimate";
import { resolveTrainingSpec } from "@/lib/domain/training-spec";
import { type DatasetStats, statsSchema } from "@/lib/schemas/datasets";
import type {
  CreateTrainingJobBody,
  PresetId,
  TrainingEstimate,
  TrainingJobRequest,
} from "@/lib/schemas/training-jobs";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { loadVersion } from "@/lib/server/datasets/datasets";
import { db, Prisma, type Tx } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { HttpError } from "@/lib/server/core/errors";
import type { DatasetVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { dispatchNow, enqueueInTx } from "@/lib/server/core/outbox";
import type { Principal } from "@/lib/server/core/principal";
import { bus } from "@/lib/server/core/queues";
import { insertLaunch, isUniqueViolation } from "./launch-insert";
import { executorAvailability, refuseUnrunnable } from "./readiness";

type Executor = CreateTrainingJobBody["executor"];

const invalid = (path: string, message: string) =>
  new HttpError(422, "invalid_spec", message, [{ path, message }]);

export function maxConcurrent(kind: Executor): number {
  const e = env();
  return {
    LOCAL: e.TRAINING_MAX_CONCURRENT_LOCAL,
    DOCKER: e.TRAINING_MAX_CONCURRENT_DOCKER,
    KUBERNETES: e.TRAINING_MAX_CONCURRENT_KUBERNETES,
  }[kind];
}

async function readyVersion(p: Principal, id: string, field: string): Promise<VersionRow> {
  const v = await loadVersion(p, id).catch((e: unknown) => {
    if (e instanceof HttpError && e.status === 404)
      throw invalid(field, `dataset version ${id} does not exist in this team`);
    throw e;
  });
  if (v.status !== "READY")
    throw invalid(
      field,
      `dataset version ${id} is ${v.status}${v.status === "INVALID" ? " (fix it or create a cleaned version)" : " (wait for validation)"}; only READY versions train`,
    );
  if (v.declaredFormat === "completion" || v.format === "COMPLETION")
    throw invalid(
      field,
      `dataset version ${id} holds completion rows; LoRA jobs here train chat and tool-calling data`,
    );
  return v;
}

// READY version rows are cached and immutable (loadVersion), so their parsed stats are too.
const parsedStats = new WeakMap<VersionRow, DatasetStats>();
function statsOf(v: VersionRow): DatasetStats {
  let stats = parsedStats.get(v);
  if (!stats) {
    stats = statsSchema.parse(v.stats);
    parsedStats.set(v, stats);
  }
  return stats;
}

export type ResolvedLaunch = {
  /** The complete spec the job runs: the request, the rest from `preset`. */
  spec: CreateTrainingJobBody;
  preset: PresetId;
  /** Preset values adapted to the base model or the dataset, and why. */
  notes: string[];
  version: VersionRow;
  evalVersion: VersionRow | null;
  estimate: TrainingEstimate;
};

/**
 * The checks launch and preview share: the dataset versions, the request resolved into the
 * complete spec and validated (a ZodError naming fields, answered 422), and the estimate.
 */
export async function resolveLaunch(
  p: Principal,
  request: TrainingJobRequest,
): Promise<ResolvedLaunch> {
  const version = await readyVersion(p, request.datasetVersionId, "datasetVersionId");
  const evalVersion = request.evalDatasetVersionId
    ? await readyVersion(p, request.evalDatasetVersionId, "evalDatasetVersionId")
    : null;
  const stats = statsOf(version);
  if (stats.validRows === 0)
    throw invalid("datasetVersionId", `dataset version ${version.id} has no valid rows`);
  // With a separate eval set every valid row trains; else the version's own train split does.
  const trainRows = evalVersion ? stats.validRows : stats.split.train;
  const resolved = resolveTrainingSpec(request, {
    baseModel: findBaseModel(request.baseModel),
    dataset: { trainRows },
  });
  if (!resolved.result.success) throw resolved.result.error;
  const body = resolved.result.data;
  const model = findBaseModel(body.baseModel)!;
  const hp = body.hyperparameters;
  const raw = estimateTraining({
    model,
    method: body.method,
    loraR: hp.loraR,
    targetModules: hp.targetModules,
    sequenceLen: hp.sequenceLen,
    microBatchSize: hp.microBatchSize,
    gradientAccumulationSteps: hp.gradientAccumulationSteps,
    numEpochs: hp.numEpochs,
    maxSteps: hp.maxSteps,
    chunkedLoss: body.backend !== "PEFT",
    gpuType: body.compute.gpuType,
    gpuCount: body.compute.gpuCount,
    dataset: {
      rows: stats.validRows,
      tokens: stats.tokens.total,
      evalFraction: evalVersion ? 0 : stats.split.evalFraction,
      trainRows,
    },
  });
  const estimate: TrainingEstimate = {
    ...raw,
    gpuMemoryGb: Number.isFinite(raw.gpuMemoryGb) ? raw.gpuMemoryGb : null,
  };
  return {
    spec: body,
    preset: resolved.preset,
    notes: resolved.notes,
    version,
    evalVersion,
    estimate,
  };
}

export function refuseUnfit(body: CreateTrainingJobBody, estimate: TrainingEstimate) {
  if (!estimate.fits)
    throw invalid(
      "compute.gpuType",
      `needs about ${estimate.vramGb} GB of GPU memory; a ${body.compute.gpuType} has ${estimate.gpuMemoryGb} GB (try QLORA, a smaller micro-batch or sequence length, or a larger GPU)`,
    );
}

/** Of the request as sent (parsed): the same request with the same key is the same launch. */
function requestHash(request: TrainingJobRequest): string {
  return createHash("sha256").update(JSON.stringify(request)).digest("hex");
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

async function findModel(tx: Tx, teamId: string, ref: string) {
  return tx.model.findFirst({ where: { teamId, OR: [{ id: ref }, { name: ref }] } });
}

/**
 * The Model a launch names, registered first if new, in its own short transaction: many launches
 * of one new name at once then wait only for that insert, not for each other's whole launch
 * (which under load ran past the interactive transaction's timeout and answered 500).
 */
async function ensureModel(p: Principal, name: string) {
  const found = await findModel(db(), p.teamId, name);
  if (found) return found;
  return db().$transaction(async (tx) => {
    const { count } = await tx.model.createMany({
      data: [{ teamId: p.teamId, name }],
      skipDuplicates: true,
    });
    const model = (await findModel(tx, p.teamId, name))!;
    if (count === 1)
      await recordAudit(
        {
          ...actorOf(p),
          action: "model.create",
          targetType: "model",
          targetId: model.id,
          metadata: { name: model.name },
        },
        tx,
      );
    return model;
  });
}

async function byKey(p: Principal, key: string, hash: string) {
  const job = await db().trainingJob.findUnique({
    where: { teamId_idempotencyKey: { teamId: p.teamId, idempotencyKey: key } },
  });
  if (job && job.requestHash !== hash)
    throw new HttpError(
      422,
      "idempotency_key_reused",
      `Idempotency-Key "${key}" was used for a different launch (job ${job.id})`,
    );
  return job;
}

export type LaunchOptions = {
  idempotencyKey?: string | null;
  trigger?: "MANUAL" | "API" | "SCHEDULE" | "DRIFT";
};

/**
 * `request` may be partial (trainingJobRequestSchema) or a complete spec (a re-tune copies one);
 * what is stored and run is the resolved spec.
 */
export async function launchTrainingJob(
  p: Principal,
  request: TrainingJobRequest,
  opts: LaunchOptions = {},
) {
  authorize(p, "resource.write");
  const key = opts.idempotencyKey ?? null;
  if (key !== null && !IDEMPOTENCY_KEY.test(key))
    throw new HttpError(
      400,
      "invalid_idempotency_key",
      "Idempotency-Key must be 1-255 printable ASCII characters",
    );
  const hash = requestHash(request);
  if (key) {
    const existing = await byKey(p, key, hash);
    if (existing) return { id: existing.id, status: existing.status, created: false };
  }
  const { spec: body, version, evalVersion, estimate } = await resolveLaunch(p, request);
  await refuseUnrunnable(body);
  refuseUnfit(body, estimate);
  const trigger = opts.trigger ?? (p.actor.kind === "apiKey" ? "API" : "MANUAL");
  // The common case — the Model exists — is one statement; registering a new Model takes the
  // transactional path below.
  try {
    const fast = await insertLaunch(p, {
      teamId: p.teamId,
      modelRef: body.model,
      body,
      estimate,
      datasetVersionId: version.id,
      evalDatasetVersionId: evalVersion?.id ?? null,
      trigger,
      idempotencyKey: key,
      requestHash: hash,
    });
    if (fast) {
      await dispatchNow(bus(), "training", { trainingJobId: fast.id, attempt: 1 });
      return { ...fast, created: true };
    }
  } catch (e) {
    if (!(key && isUniqueViolation(e))) throw e;
    // Two launches with one key raced: the unique index let one in; return it.
    const existing = await byKey(p, key, hash);
    if (existing) return { id: existing.id, status: existing.status, created: false };
    throw e;
  }
  for (let tries = 0; ; tries++) {
    try {
      const model = await ensureModel(p, body.model);
      const job = await db().$transaction(async (tx) => {
        const count = await tx.trainingJob.count({ where: { modelId: model.id } });
        const job = await tx.trainingJob.create({
          data: {
            teamId: p.teamId,
            modelId: model.id,
            name: `${model.name} #${count + 1}`,
            backend: body.backend,
            executor: body.executor,
            trigger,
            method: body.method,
            baseModel: body.baseModel,
            datasetVersionId: version.id,
            evalDatasetVersionId: evalVersion?.id ?? null,
            spec: body as unknown as Prisma.InputJsonValue,
            estimate: estimate as unknown as Prisma.InputJsonValue,
            totalSteps: estimate.steps,
            idempotencyKey: key,
            requestHash: hash,
            createdById: p.userId,
            attempts: { create: { attempt: 1 } },
          },
        });
        await enqueueInTx(tx, "training", { trainingJobId: job.id, attempt: 1 });
        await recordAudit(
          {
            ...actorOf(p),
            action: "training-job.launch",
            targetType: "training-job",
            targetId: job.id,
            metadata: {
              model: model.name,
              baseModel: body.baseModel,
              backend: body.backend,
              executor: body.executor,
            },
          },
          tx,
        );
        return job;
      });
      await dispatchNow(bus(), "training", { trainingJobId: job.id, attempt: 1 });
      return { id: job.id, status: job.status, created: true };
    } catch (e) {
      if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")) throw e;
      // Two launches with one key raced: the unique index let one in; return it.
      if (key) {
        const existing = await byKey(p, key, hash);
        if (existing) return { id: existing.id, status: existing.status, created: false };
      }
      // Not ours to explain (the Model is registered before, in ensureModel): try again, twice.
      if (tries >= 2) throw e;
    }
  }
}

/** GET /executors: what the launch form may offer, and why an executor is off. */
export async function listExecutors(p: Principal) {
  authorize(p, "team.read");
  const kinds = ["LOCAL", "DOCKER", "KUBERNETES"] as const;
  return {
    executors: await Promise.all(
      kinds.map(async (kind) => {
        const reason = await executorAvailability(kind);
        return { kind, available: reason === null, reason, maxConcurrent: maxConcurrent(kind) };
      }),
    ),
  };
}
