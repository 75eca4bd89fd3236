/**
 * The re-tuning loop (docs/architecture.md, "Telemetry, drift and re-tuning"): a drift breach or a schedule firing opens at most one
 * RetrainRequest per Model and window (a unique key in the database, because schedulers fire
 * twice), decides whether it is worth it (GPU budget; for schedules, new data or a monitor in
 * warning), builds a dataset version from traces by the policy's recipe — uploaded and validated
 * like any upload — and launches a TrainingJob with trigger DRIFT or SCHEDULE. Evaluation, the
 * gate and promotion then follow from the job exactly as for any candidate.
 */
import { isInFlight } from "@/lib/domain/training-status";
import { applyTrainingTemplate } from "@/lib/domain/training-template";
import { Readable } from "node:stream";
import {
  type CreateTrainingJobBody,
  createTrainingJobBodySchema,
} from "@/lib/schemas/training-jobs";
import { type DatasetRecipe, datasetRecipeSchema } from "@/lib/schemas/retrain";
import { createDataset, loadVersionById, uploadVersion } from "@/lib/server/datasets/datasets";
import { db, type Prisma, type Tx } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import { enqueueInTx, dispatchSoon } from "@/lib/server/core/outbox";
import { systemPrincipal } from "@/lib/server/core/principal";
import { bus } from "@/lib/server/core/queues";
import { buildRetrainRows, countRecipeTraces } from "./retrain-dataset";
import { launchTrainingJob } from "@/lib/server/training/launch";
import { notify } from "@/lib/server/webhooks/webhooks";
import { env } from "@/lib/server/core/env";

export type RetrainRow = Prisma.RetrainRequestGetPayload<object>;
export type RetrainTrigger = "DRIFT" | "SCHEDULE" | "MANUAL";

export type OpenRetrainInput = {
  teamId: string;
  modelId: string;
  trigger: RetrainTrigger;
  /** Idempotency: "drift:<window start>", "schedule:<fire time>", "manual:<uuid>". */
  key: string;
  reason: string;
  monitorId?: string;
  driftCheckId?: string;
  windowStart?: Date;
  windowEnd?: Date;
  now?: Date;
};

export type OpenRetrainResult = {
  request: RetrainRow;
  /** False when this key was already opened, or another retrain of the Model is in flight. */
  created: boolean;
  inProgress: boolean;
};

type PolicySettings = {
  recipe: DatasetRecipe;
  minNewTraces: number;
  gpuBudgetUsd: number | null;
  budgetPeriodDays: number;
  trainingTemplate: Record<string, unknown> | null;
  createdAt: Date | null;
};

/** The Model's policy, or the defaults a drift monitor uses on a Model without one. */
export async function policySettings(modelId: string): Promise<PolicySettings> {
  const row = await db().retrainPolicy.findUnique({ where: { modelId } });
  return {
    recipe: datasetRecipeSchema.parse(row?.datasetRecipe ?? {}),
    minNewTraces: row?.minNewTraces ?? 0,
    gpuBudgetUsd: row?.gpuBudgetUsd ?? null,
    budgetPeriodDays: row?.budgetPeriodDays ?? 90,
    trainingTemplate: (row?.trainingTemplate as Record<string, unknown> | null) ?? null,
    createdAt: row?.createdAt ?? null,
  };
}

/** The job a re-tune copies: the PRODUCTION version's, else the newest version's. */
export async function templateJob(modelId: string) {
  const trained = { modelId, trainingJobId: { not: null } };
  const chosen =
    (await db().modelVersion.findFirst({
      where: { ...trained, stage: "PRODUCTION" },
      include: { trainingJob: true },
    })) ??
    (await db().modelVersion.findFirst({
      where: trained,
      orderBy: { version: "desc" },
      include: { trainingJob: true },
    }));
  return chosen?.trainingJob ? { version: chosen, job: chosen.trainingJob } : null;
}

const costOf = (j: { costUsd: number | null; estimate: unknown }) =>
  j.costUsd ?? Number((j.estimate as { costUsd?: number } | null)?.costUsd ?? 0);

/** GPU cost of the Model's automated re-tunes in the budget period. */
export async function retrainSpend(modelId: string, periodDays: number, now: Date) {
  const jobs = await db().trainingJob.findMany({
    where: {
      modelId,
      trigger: { in: ["DRIFT", "SCHEDULE"] },
      createdAt: { gte: new Date(now.getTime() - periodDays * 86_400_000) },
      status: { not: "CANCELLED" },
    },
    select: { costUsd: true, estimate: true },
  });
  return jobs.reduce((s, j) => s + costOf(j), 0);
}

/** Why this retrain should not train (null: it should). */
async function skipReason(input: OpenRetrainInput, s: PolicySettings, now: Date) {
  const template = await templateJob(input.modelId);
  if (!template) return "the Model has no trained version whose job a re-tune could copy";
  if (s.gpuBudgetUsd !== null) {
    const spent = await retrainSpend(input.modelId, s.budgetPeriodDays, now);
    const next = costOf(template.job);
    if (spent + next > s.gpuBudgetUsd)
      return `GPU budget: $${spent.toFixed(2)} of $${s.gpuBudgetUsd.toFixed(2)} spent on re-tunes in the last ${s.budgetPeriodDays} days; this one is estimated at $${next.toFixed(2)}`;
  }
  // Only scheduled runs need new data; a drift breach is reason enough (the issue's rule).
  if (input.trigger === "SCHEDULE") {
    const last = await db().retrainRequest.findFirst({
      where: { modelId: input.modelId, status: "LAUNCHED" },
      orderBy: { createdAt: "desc" },
    });
    const since = last?.createdAt ?? undefined;
    const fresh = await countRecipeTraces(input.teamId, input.modelId, s.recipe, now, since);
    const warning = await db().driftMonitor.count({
      where: { modelId: input.modelId, enabled: true, state: "WARNING" },
    });
    if (fresh < s.minNewTraces && warning === 0)
      return `${fresh} new usable traces since ${since ? `the last re-tune (${since.toISOString().slice(0, 10)})` : "the start"}; the policy needs ${s.minNewTraces}, and no monitor is in warning`;
  }
  return null;
}

async function inFlight(tx: Tx, modelId: string) {
  const open = await tx.retrainRequest.findMany({
    where: { modelId, status: { in: ["BUILDING", "LAUNCHED"] } },
    orderBy: { createdAt: "desc" },
    take: 5,
  });
  for (const r of open) {
    if (r.status === "BUILDING") return r;
    if (r.trainingJobId) {
      const job = await tx.trainingJob.findUnique({
        where: { id: r.trainingJobId },
        select: { status: true },
      });
      if (job && isInFlight(job.status)) return r;
    }
  }
  return null;
}

/**
 * Opens a retrain, at most once per Model and key, and never while another is being built or
 * trained: the Model row is locked for the decision, so two checks racing see one another.
 */
export async function openRetrain(input: OpenRetrainInput): Promise<OpenRetrainResult> {
  const now = input.now ?? new Date();
  const existing = await db().retrainRequest.findUnique({
    where: { modelId_key: { modelId: input.modelId, key: input.key } },
  });
  if (existing) return { request: existing, created: false, inProgress: false };
  const settings = await policySettings(input.modelId);
  const skip = await skipReason(input, settings, now);
  const result = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${input.modelId} FOR UPDATE`;
    const again = await tx.retrainRequest.findUnique({
      where: { modelId_key: { modelId: input.modelId, key: input.key } },
    });
    if (again) return { request: again, created: false, inProgress: false };
    if (!skip) {
      const busy = await inFlight(tx, input.modelId);
      if (busy) return { request: busy, created: false, inProgress: true };
    }
    const request = await tx.retrainRequest.create({
      data: {
        teamId: input.teamId,
        modelId: input.modelId,
        key: input.key,
        trigger: input.trigger === "MANUAL" ? "MANUAL" : input.trigger,
        status: skip ? "SKIPPED" : "BUILDING",
        reason: input.reason,
        error: skip,
        monitorId: input.monitorId ?? null,
        driftCheckId: input.driftCheckId ?? null,
        windowStart: input.windowStart ?? null,
        windowEnd: input.windowEnd ?? null,
      },
    });
    if (!skip) await enqueueInTx(tx, "monitoring", { retrainRequestId: request.id });
    return { request, created: true, inProgress: false };
  });
  if (result.created) {
    if (result.request.status === "BUILDING") await dispatchSoon(bus()).catch(() => {});
    await tellTeam(result.request, skip ? "retrain_skipped" : "retrain_started", skip);
  }
  return result;
}

async function tellTeam(
  r: RetrainRow,
  kind: "retrain_started" | "retrain_skipped" | "training_failed",
  detail: string | null,
) {
  const model = await db().model.findUnique({ where: { id: r.modelId } });
  const prod = await db().modelVersion.findFirst({
    where: { modelId: r.modelId, stage: "PRODUCTION" },
  });
  if (!model) return;
  await notify(r.teamId, {
    kind,
    model: model.name,
    version: prod?.version ?? 0,
    failures: [r.reason, ...(detail ? [detail] : [])],
    actor: "retune",
    url: new URL(`/models/${r.modelId}`, env().APP_URL).toString(),
  }).catch(() => {});
}

async function fail(r: RetrainRow, error: string) {
  const updated = await db().retrainRequest.updateMany({
    where: { id: r.id, status: "BUILDING" },
    data: { status: "FAILED", error },
  });
  if (updated.count) await tellTeam(r, "training_failed", error);
}

/**
 * The reconciler's sweep (docs/architecture.md, "Queues"): a retrain still BUILDING its dataset
 * whose build job failed for good (its outbox row FAILED) ends FAILED with the reason, and the
 * team is told. One that already has its dataset version follows that version (redriveRetrains).
 */
export async function sweepAbandonedRetrains(): Promise<number> {
  const stuck = await db().$queryRaw<{ id: string; lastError: string | null }[]>`
    SELECT r.id, o."lastError" FROM "RetrainRequest" r
    JOIN "Outbox" o ON o."jobId" = 'rt-' || r.id
    WHERE r.status = 'BUILDING' AND r."datasetVersionId" IS NULL AND o.status = 'FAILED'
    LIMIT 50`;
  for (const { id, lastError } of stuck) {
    const r = await db().retrainRequest.findUnique({ where: { id } });
    if (r)
      await fail(
        r,
        `building the dataset failed and was given up: ${lastError ?? "no reason recorded"}`.slice(
          0,
          2000,
        ),
      );
  }
  return stuck.length;
}

async function skipLate(r: RetrainRow, why: string) {
  await db().retrainRequest.updateMany({
    where: { id: r.id, status: "BUILDING" },
    data: { status: "SKIPPED", error: why },
  });
  await tellTeam(r, "retrain_skipped", why);
}

const DATASET_SUFFIX = " retraining";

async function retrainDatasetId(teamId: string, modelName: string): Promise<string> {
  const name = `${modelName.replace(/[^\w .:/-]/g, "-").slice(0, 100 - DATASET_SUFFIX.length)}${DATASET_SUFFIX}`;
  const found = await db().dataset.findFirst({ where: { teamId, name } });
  if (found) return found.id;
  try {
    return (
      await createDataset(systemPrincipal(teamId), {
        name,
        description: `Datasets built from production traces by ${modelName}'s retrain policy.`,
      })
    ).id;
  } catch (e) {
    if (!(e instanceof HttpError && e.status === 409)) throw e;
    return (await db().dataset.findFirstOrThrow({ where: { teamId, name } })).id;
  }
}

/**
 * The `monitoring` job of an opened retrain: build and upload its dataset. Idempotent: a
 * request that already has its dataset version only moves on when validation has finished.
 */
export async function buildRetrainDataset(requestId: string, now = new Date()): Promise<void> {
  const r = await db().retrainRequest.findUnique({ where: { id: requestId } });
  if (!r || r.status !== "BUILDING") return;
  if (r.datasetVersionId) return continueRetrain(r);
  const model = await db().model.findUniqueOrThrow({ where: { id: r.modelId } });
  const settings = await policySettings(r.modelId);
  let rows;
  try {
    rows = await buildRetrainRows(r.teamId, r.modelId, settings.recipe, now);
  } catch (e) {
    if (e instanceof HttpError) return fail(r, e.message);
    throw e;
  }
  if (rows.traceCount < settings.recipe.minTraces)
    return skipLate(
      r,
      `${rows.traceCount} usable traces in the last ${settings.recipe.days} days; the recipe needs ${settings.recipe.minTraces}`,
    );
  const template = await templateJob(r.modelId);
  const evalFraction = template
    ? ((await loadVersionById(template.job.datasetVersionId).catch(() => null))?.evalFraction ??
      0.1)
    : 0.1;
  const datasetId = await retrainDatasetId(r.teamId, model.name);
  const text = rows.lines.join("\n") + "\n";
  const uploaded = await uploadVersion(systemPrincipal(r.teamId), datasetId, {
    body: Readable.toWeb(Readable.from([Buffer.from(text)])) as ReadableStream<Uint8Array>,
    contentType: "application/x-ndjson",
    query: {
      format: "auto",
      provenance: rows.provenance,
      evalFraction,
      baseModel: template?.job.baseModel,
    },
  });
  const updated = await db().retrainRequest.update({
    where: { id: r.id },
    data: { datasetVersionId: uploaded.id, traceCount: rows.traceCount },
  });
  // The same traces as last time deduplicate to a version that is already validated.
  if (uploaded.status !== "VALIDATING") await continueRetrain(updated);
}

/** After a dataset version's validation: launch the retrains waiting on it (or fail them). */
export async function continueRetrainsFor(datasetVersionId: string): Promise<void> {
  const waiting = await db().retrainRequest.findMany({
    where: { datasetVersionId, status: "BUILDING" },
  });
  for (const r of waiting) await continueRetrain(r);
}

async function continueRetrain(r: RetrainRow): Promise<void> {
  if (!r.datasetVersionId) return;
  const version = await db().datasetVersion.findUnique({ where: { id: r.datasetVersionId } });
  if (!version || version.status === "VALIDATING") return;
  if (version.status === "INVALID")
    return fail(
      r,
      `dataset version v${version.version} built from traces failed validation${version.error ? `: ${version.error}` : ""}`,
    );
  await launchRetrain(r, version.id);
}

/** The production job's spec with the policy's template (lib/domain/training-template.ts) and the new dataset. */
export function retrainSpec(
  base: unknown,
  overrides: Record<string, unknown> | null,
  modelName: string,
  datasetVersionId: string,
): CreateTrainingJobBody {
  const spec = applyTrainingTemplate(base, overrides);
  return createTrainingJobBodySchema.parse({ ...spec, model: modelName, datasetVersionId });
}

async function launchRetrain(r: RetrainRow, datasetVersionId: string) {
  const template = await templateJob(r.modelId);
  const model = await db().model.findUniqueOrThrow({ where: { id: r.modelId } });
  if (!template) return fail(r, "the Model has no trained version whose job a re-tune could copy");
  const settings = await policySettings(r.modelId);
  let launched;
  try {
    const body = retrainSpec(
      template.job.spec,
      settings.trainingTemplate,
      model.name,
      datasetVersionId,
    );
    launched = await launchTrainingJob(systemPrincipal(r.teamId), body, {
      trigger: r.trigger === "MANUAL" ? "MANUAL" : r.trigger === "DRIFT" ? "DRIFT" : "SCHEDULE",
      // A redelivered build job launches the same job, not a second one.
      idempotencyKey: `retrain-${r.id}`,
    });
  } catch (e) {
    const message =
      e instanceof HttpError
        ? e.message
        : e instanceof Error && "issues" in e
          ? `the training template is invalid: ${e.message}`
          : null;
    if (message) return fail(r, message);
    throw e;
  }
  await db().retrainRequest.updateMany({
    where: { id: r.id, status: "BUILDING" },
    data: { status: "LAUNCHED", trainingJobId: launched.id },
  });
}

/** Reconciler: retrains whose dataset finished validating while no hook ran. */
export async function redriveRetrains(): Promise<number> {
  const stuck = await db().retrainRequest.findMany({
    where: {
      status: "BUILDING",
      datasetVersionId: { not: null },
      updatedAt: { lt: new Date(Date.now() - 30_000) },
    },
    take: 50,
  });
  for (const r of stuck) await continueRetrain(r);
  return stuck.length;
}
