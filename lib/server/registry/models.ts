/**
 * Models: registered, fine-tunable agent components, with the eval suite their candidates are
 * evaluated on and the gate policy that guards production. Versions and their stages live beside
 * this file (version-detail.ts, stage-changes.ts); a training launch may also register a Model by
 * name (training/launch.ts).
 */
import {
  type CreateModelBody,
  createModelBodySchema,
  type ModelDetail,
  type ModelSummary,
  type UpdateModelBody,
  updateModelBodySchema,
} from "@/lib/schemas/models";
import type { GatePolicy } from "@/lib/schemas/gates";
import { runMetricsSchema } from "@/lib/schemas/eval-metrics";
import { listSearchQuerySchema, type ListSearchQuery } from "@/lib/schemas/search";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db, Prisma, type Tx } from "@/lib/server/core/db";
import { conflict, HttpError, notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { containsText } from "@/lib/server/core/search";
import { gateStatusesOf } from "./gate-view";
import { approvalOf, policyOf } from "./registry-state";

const invalid = (path: string, message: string) =>
  new HttpError(422, "invalid", `${path}: ${message}`, [{ path, message }]);

async function checkSuite(p: Principal, suiteId: string) {
  const suite = await db().evalSuite.findFirst({ where: { id: suiteId, teamId: p.teamId } });
  if (!suite) throw invalid("evalSuiteId", `eval suite ${suiteId} does not exist in this team`);
}

/** A Model by id or by name, in the caller's team. */
export async function loadModel(p: Principal, ref: string) {
  const row = await db().model.findFirst({
    where: { teamId: p.teamId, OR: [{ id: ref }, { name: ref }] },
    include: { evalSuite: { select: { name: true } }, gatePolicy: true },
  });
  if (!row) throw notFound("model", ref);
  return row;
}

type ModelRow = Awaited<ReturnType<typeof loadModel>>;

function summaryOf(
  m: ModelRow,
  versions: { id: string; version: number; stage: string }[],
): ModelSummary {
  const production = versions.find((v) => v.stage === "PRODUCTION");
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    evalSuiteId: m.evalSuiteId,
    evalSuiteName: m.evalSuite?.name ?? null,
    production: production ? { id: production.id, version: production.version } : null,
    versionCount: versions.length,
    latestVersion: versions.length ? Math.max(...versions.map((v) => v.version)) : null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/** The team's Models, last changed first; `q` matches a substring of the name or description. */
export async function listModels(
  p: Principal,
  query: ListSearchQuery = {},
): Promise<ModelSummary[]> {
  authorize(p, "team.read");
  const { q } = listSearchQuerySchema.parse(query);
  const rows = await db().model.findMany({
    where: {
      teamId: p.teamId,
      ...(q ? { OR: [{ name: containsText(q) }, { description: containsText(q) }] } : {}),
    },
    include: {
      evalSuite: { select: { name: true } },
      gatePolicy: true,
      versions: { select: { id: true, version: true, stage: true } },
    },
    orderBy: { updatedAt: "desc" },
  });
  return rows.map((r) => summaryOf(r, r.versions));
}

export async function getModel(p: Principal, ref: string): Promise<ModelDetail> {
  authorize(p, "team.read");
  const m = await loadModel(p, ref);
  const versions = await db().modelVersion.findMany({
    where: { modelId: m.id },
    orderBy: { version: "desc" },
    include: { trainingJob: { select: { createdById: true } } },
  });
  const policy = policyOf(m.gatePolicy);
  const ids = versions.map((v) => v.id);
  const [gates, approvals, runs, retrainPolicies] = await Promise.all([
    gateStatusesOf(m, versions, policy),
    db().approval.findMany({
      where: { modelVersionId: { in: ids } },
      orderBy: { createdAt: "asc" },
    }),
    m.evalSuiteId
      ? db().evalRun.findMany({
          where: {
            suiteId: m.evalSuiteId,
            modelVersionId: { in: ids },
            status: "SUCCEEDED",
          },
          orderBy: { finishedAt: "desc" },
          select: { modelVersionId: true, metrics: true },
        })
      : Promise.resolve([]),
    db().retrainPolicy.count({ where: { modelId: m.id } }),
  ]);
  const metricsOf = new Map<string, unknown>();
  for (const r of runs)
    if (!metricsOf.has(r.modelVersionId!)) metricsOf.set(r.modelVersionId!, r.metrics);
  return {
    ...summaryOf(m, versions),
    gatePolicy: policy,
    hasRetrainPolicy: retrainPolicies > 0,
    versions: versions.map((v) => {
      const metrics = runMetricsSchema.safeParse(metricsOf.get(v.id) ?? {});
      return {
        id: v.id,
        version: v.version,
        stage: v.stage,
        aliases: v.aliases,
        baseModel: v.baseModel,
        trainingJobId: v.trainingJobId,
        gateStatus: gates.get(v.id) ?? "NOT_EVALUATED",
        approvalStatus: approvalOf(
          policy,
          approvals.filter((a) => a.modelVersionId === v.id),
        ).status,
        metrics: metrics.success ? metrics.data : {},
        createdAt: v.createdAt.toISOString(),
      };
    }),
  } as ModelDetail;
}

async function writePolicy(tx: Tx, modelId: string, policy: GatePolicy | null) {
  if (policy === null) {
    await tx.gatePolicy.deleteMany({ where: { modelId } });
    return;
  }
  const json = policy as unknown as Prisma.InputJsonValue;
  await tx.gatePolicy.upsert({
    where: { modelId },
    create: { modelId, policy: json },
    update: { policy: json },
  });
}

export async function createModel(p: Principal, input: CreateModelBody): Promise<ModelDetail> {
  authorize(p, "resource.write");
  const body = createModelBodySchema.parse(input);
  if (body.evalSuiteId) await checkSuite(p, body.evalSuiteId);
  try {
    const model = await db().$transaction(async (tx) => {
      const m = await tx.model.create({
        data: {
          teamId: p.teamId,
          name: body.name,
          description: body.description ?? null,
          evalSuiteId: body.evalSuiteId ?? null,
        },
      });
      if (body.gatePolicy) await writePolicy(tx, m.id, body.gatePolicy);
      await recordAudit(
        {
          ...actorOf(p),
          action: "model.create",
          targetType: "model",
          targetId: m.id,
          metadata: {
            name: m.name,
            gatePolicy: body.gatePolicy ? JSON.stringify(body.gatePolicy) : null,
          },
        },
        tx,
      );
      return m;
    });
    return getModel(p, model.id);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw conflict(`a model named "${body.name}" already exists in this team`);
    throw e;
  }
}

export async function updateModel(
  p: Principal,
  ref: string,
  input: UpdateModelBody,
): Promise<ModelDetail> {
  authorize(p, "resource.write");
  const body = updateModelBodySchema.parse(input);
  const m = await loadModel(p, ref);
  if (body.evalSuiteId) await checkSuite(p, body.evalSuiteId);
  try {
    await db().$transaction(async (tx) => {
      await tx.model.update({
        where: { id: m.id },
        data: {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.evalSuiteId !== undefined ? { evalSuiteId: body.evalSuiteId } : {}),
        },
      });
      if (body.gatePolicy !== undefined) await writePolicy(tx, m.id, body.gatePolicy);
      await recordAudit(
        {
          ...actorOf(p),
          action: "model.update",
          targetType: "model",
          targetId: m.id,
          metadata: {
            changed: Object.keys(body).join(", "),
            // The policy before and after, so the audit log shows who loosened a gate.
            ...(body.gatePolicy !== undefined
              ? {
                  before: JSON.stringify(policyOf(m.gatePolicy)),
                  gatePolicy: JSON.stringify(body.gatePolicy),
                }
              : {}),
          },
        },
        tx,
      );
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw conflict(`a model named "${body.name}" already exists in this team`);
    throw e;
  }
  return getModel(p, m.id);
}
