/**
 * A Model's retrain policy: its cron schedule (cron-parser, the library BullMQ's own job
 * schedulers use, so "next run" here is the run BullMQ makes), the dataset recipe, the training
 * template and auto-promotion; and what happens when the schedule fires.
 */
import { randomUUID } from "node:crypto";
import { CronExpressionParser } from "cron-parser";
import {
  type PutRetrainPolicyBody,
  putRetrainPolicyBodySchema,
  type RetrainPolicy,
  type RetrainRequest,
  datasetRecipeSchema,
  retrainPolicySchema,
} from "@/lib/schemas/retrain";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { loadVersion } from "@/lib/server/datasets/datasets";
import { db, type Prisma } from "@/lib/server/core/db";
import { HttpError, notFound } from "@/lib/server/core/errors";
import { loadModel } from "@/lib/server/registry/models";
import { policySchedulerId, removeScheduler, syncPolicyScheduler } from "./monitor-schedulers";
import type { Principal } from "@/lib/server/core/principal";
import type { Deleted } from "@/lib/schemas/common";
import { loopSettings, toRetrainRequest } from "./retrain-loop";
import { openRetrain, retrainSpend, retrainSpec, templateJob } from "./retrains";

type PolicyRow = Prisma.RetrainPolicyGetPayload<object>;

const invalid = (path: string, message: string) =>
  new HttpError(422, "invalid", `${path}: ${message}`, [{ path, message }]);

function checkTimezone(tz: string) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    throw invalid("timezone", `"${tz}" is not an IANA time zone (e.g. "UTC", "Europe/Paris")`);
  }
}

/** The first run strictly after `after`. Throws 422 naming `schedule` for a bad expression. */
export function nextRun(schedule: string, timezone: string, after: Date): Date {
  try {
    return CronExpressionParser.parse(schedule, { currentDate: after, tz: timezone })
      .next()
      .toDate();
  } catch (e) {
    throw invalid("schedule", `"${schedule}" is not a cron expression: ${(e as Error).message}`);
  }
}

/** The latest firing at or before `at`: the firing a scheduler job started at `at` belongs to. */
export function firingAtOrBefore(schedule: string, timezone: string, at: Date): Date {
  return CronExpressionParser.parse(schedule, {
    currentDate: new Date(at.getTime() + 1),
    tz: timezone,
  })
    .prev()
    .toDate();
}

async function toPolicy(row: PolicyRow): Promise<RetrainPolicy> {
  return retrainPolicySchema.parse({
    id: row.id,
    modelId: row.modelId,
    enabled: row.enabled,
    schedule: row.schedule,
    timezone: row.timezone,
    datasetRecipe: datasetRecipeSchema.parse(row.datasetRecipe),
    trainingTemplate: row.trainingTemplate ?? null,
    autoPromote: row.autoPromote,
    minNewTraces: row.minNewTraces,
    gpuBudgetUsd: row.gpuBudgetUsd,
    budgetPeriodDays: row.budgetPeriodDays,
    nextRunAt: row.enabled ? nextRun(row.schedule, row.timezone, new Date()).toISOString() : null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    spentUsd: await retrainSpend(row.modelId, row.budgetPeriodDays, new Date()),
    updatedAt: row.updatedAt.toISOString(),
  });
}

export async function getRetrainPolicy(p: Principal, modelRef: string): Promise<RetrainPolicy> {
  authorize(p, "team.read");
  const model = await loadModel(p, modelRef);
  const row = await db().retrainPolicy.findUnique({ where: { modelId: model.id } });
  if (!row) throw notFound("retrain policy of model", modelRef);
  return toPolicy(row);
}

export async function putRetrainPolicy(
  p: Principal,
  modelRef: string,
  input: PutRetrainPolicyBody,
): Promise<RetrainPolicy> {
  authorize(p, "resource.write");
  const body = putRetrainPolicyBodySchema.parse(input);
  const model = await loadModel(p, modelRef);
  checkTimezone(body.timezone);
  nextRun(body.schedule, body.timezone, new Date());
  if (body.datasetRecipe.baseDatasetVersionId) {
    await loadVersion(p, body.datasetRecipe.baseDatasetVersionId).catch(() => {
      throw invalid(
        "datasetRecipe.baseDatasetVersionId",
        `dataset version ${body.datasetRecipe.baseDatasetVersionId} does not exist in this team`,
      );
    });
  }
  if (body.trainingTemplate) {
    // Refuse a template the launch would refuse, now rather than at the next quarter.
    const template = await templateJob(model.id);
    if (template) {
      try {
        retrainSpec(
          template.job.spec,
          body.trainingTemplate,
          model.name,
          template.job.datasetVersionId,
        );
      } catch (e) {
        throw invalid("trainingTemplate", (e as Error).message);
      }
    }
  }
  const data = {
    enabled: body.enabled,
    schedule: body.schedule,
    timezone: body.timezone,
    datasetRecipe: body.datasetRecipe as Prisma.InputJsonValue,
    trainingTemplate: (body.trainingTemplate ?? undefined) as Prisma.InputJsonValue | undefined,
    autoPromote: body.autoPromote,
    minNewTraces: body.minNewTraces,
    gpuBudgetUsd: body.gpuBudgetUsd,
    budgetPeriodDays: body.budgetPeriodDays,
    nextRunAt: body.enabled ? nextRun(body.schedule, body.timezone, new Date()) : null,
  };
  const row = await db().retrainPolicy.upsert({
    where: { modelId: model.id },
    create: { teamId: p.teamId, modelId: model.id, ...data },
    update: { ...data, trainingTemplate: (body.trainingTemplate ?? null) as Prisma.InputJsonValue },
  });
  await recordAudit({
    ...actorOf(p),
    action: "retrain-policy.put",
    targetType: "model",
    targetId: model.id,
    metadata: {
      schedule: row.schedule,
      timezone: row.timezone,
      autoPromote: row.autoPromote,
      enabled: row.enabled,
    },
  });
  await syncPolicyScheduler(row);
  return toPolicy(row);
}

export async function deleteRetrainPolicy(p: Principal, modelRef: string): Promise<Deleted> {
  authorize(p, "resource.write");
  const model = await loadModel(p, modelRef);
  const row = await db().retrainPolicy.findUnique({ where: { modelId: model.id } });
  if (!row) throw notFound("retrain policy of model", modelRef);
  await db().retrainPolicy.delete({ where: { id: row.id } });
  await recordAudit({
    ...actorOf(p),
    action: "retrain-policy.delete",
    targetType: "model",
    targetId: model.id,
  });
  await removeScheduler(policySchedulerId(row.id));
  return { deleted: row.id };
}

/**
 * The policy's scheduler fired (server-side). The idempotency key is the firing it belongs to,
 * so a scheduler that fires twice — or two workers that both ran it — opens one retrain.
 */
export async function runScheduledRetrain(policyId: string, now = new Date()) {
  const policy = await db().retrainPolicy.findUnique({ where: { id: policyId } });
  if (!policy || !policy.enabled) return null;
  const firing = firingAtOrBefore(policy.schedule, policy.timezone, now);
  const opened = await openRetrain({
    teamId: policy.teamId,
    modelId: policy.modelId,
    trigger: "SCHEDULE",
    key: `schedule:${firing.toISOString()}`,
    reason: `Scheduled re-tune (${policy.schedule} ${policy.timezone}) for ${firing.toISOString()}`,
    now,
  });
  await db().retrainPolicy.update({
    where: { id: policy.id },
    data: { lastRunAt: now, nextRunAt: nextRun(policy.schedule, policy.timezone, now) },
  });
  return opened;
}

/** "Run now" in the console: a person asks for a re-tune; budget still applies, data does not. */
export async function runRetrainNow(p: Principal, modelRef: string): Promise<RetrainRequest> {
  authorize(p, "resource.write");
  const model = await loadModel(p, modelRef);
  const opened = await openRetrain({
    teamId: p.teamId,
    modelId: model.id,
    trigger: "MANUAL",
    key: `manual:${randomUUID()}`,
    reason: "Re-tune requested from the console",
  });
  if (opened.inProgress)
    throw new HttpError(
      409,
      "retrain_in_progress",
      `a re-tune of ${model.name} is already in progress (${opened.request.id})`,
    );
  await recordAudit({
    ...actorOf(p),
    action: "retrain.run-now",
    targetType: "retrain",
    targetId: opened.request.id,
    metadata: { model: model.name, status: opened.request.status },
  });
  return toRetrainRequest(opened.request, await loopSettings(model.id));
}
