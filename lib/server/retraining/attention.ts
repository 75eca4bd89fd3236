/**
 * The home page's read (GET /api/v1/home): what needs attention in the team now. It lives with
 * retraining, the last feature, because it reads across all of them: the registry (versions
 * awaiting approval), monitors, training jobs and retrains. Every query is scoped by team.
 */
import { approvalRefusal } from "@/lib/domain/approval-rules";
import { IN_FLIGHT_STATUSES } from "@/lib/domain/training-status";
import { monitorMetricSchema, comparatorSchema } from "@/lib/schemas/monitors";
import {
  HOME_LIMIT,
  HOME_RECENT_DAYS,
  type Home,
  type HomeApproval,
  type HomeJob,
} from "@/lib/schemas/home";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { gateStatusesOf } from "@/lib/server/registry/gate-view";
import { ANY_APPROVER, policyOf } from "@/lib/server/registry/registry-state";

const DAY_MS = 86_400_000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getHome(p: Principal, now = new Date()): Promise<Home> {
  authorize(p, "team.read");
  const since = new Date(now.getTime() - HOME_RECENT_DAYS * DAY_MS);
  const [awaitingApproval, breachedMonitors, runningJobs, failedJobs, recentRetrains] =
    await Promise.all([
      awaitingApprovalOf(p),
      breachedMonitorsOf(p.teamId),
      jobsOf(p.teamId, { status: { in: [...IN_FLIGHT_STATUSES] } }),
      jobsOf(p.teamId, {
        status: "FAILED",
        OR: [{ finishedAt: { gte: since } }, { finishedAt: null, updatedAt: { gte: since } }],
      }),
      retrainsOf(p.teamId, since),
    ]);
  return {
    awaitingApproval,
    breachedMonitors,
    runningJobs,
    failedJobs,
    recentRetrains,
    since: since.toISOString(),
  };
}

/**
 * Candidates and staging versions whose Model's policy asks for an approval that nobody has given
 * or refused yet. Left out: versions whose gate failed (approving them cannot promote them) and
 * versions older than the Model's production version (the Model has moved past them).
 */
async function awaitingApprovalOf(p: Principal): Promise<HomeApproval[]> {
  const rows = await db().modelVersion.findMany({
    where: {
      teamId: p.teamId,
      stage: { in: ["CANDIDATE", "STAGING"] },
      approvals: { none: {} },
      model: { gatePolicy: { isNot: null } },
    },
    include: {
      model: { include: { gatePolicy: true } },
      trainingJob: { select: { createdById: true } },
    },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  const asking = rows.filter((v) => policyOf(v.model.gatePolicy)?.requireApproval);
  if (!asking.length) return [];
  const modelIds = [...new Set(asking.map((v) => v.modelId))];
  const production = new Map(
    (
      await db().modelVersion.findMany({
        where: { modelId: { in: modelIds }, stage: "PRODUCTION" },
        select: { modelId: true, version: true },
      })
    ).map((v) => [v.modelId, v.version]),
  );
  const current = asking.filter((v) => v.version > (production.get(v.modelId) ?? 0));
  const gates = new Map<string, Awaited<ReturnType<typeof gateStatusesOf>>>();
  for (const modelId of modelIds) {
    const versions = current.filter((v) => v.modelId === modelId);
    if (!versions.length) continue;
    const model = versions[0]!.model;
    gates.set(modelId, await gateStatusesOf(model, versions, policyOf(model.gatePolicy)));
  }
  return current
    .map((v) => {
      const policy = policyOf(v.model.gatePolicy)!;
      const approverRoles = policy.approverRoles ?? ANY_APPROVER;
      const whyNot = approvalRefusal({
        actor: p.actor,
        userId: p.userId,
        approverRoles,
        mustDifferFromLauncher: policy.approverMustDifferFromLauncher,
        launcherId: v.trainingJob?.createdById ?? null,
      });
      return {
        id: v.id,
        modelId: v.modelId,
        modelName: v.model.name,
        version: v.version,
        stage: v.stage,
        gateStatus: gates.get(v.modelId)?.get(v.id) ?? "NOT_EVALUATED",
        approverRoles,
        youMayApprove: whyNot === null,
        whyNot,
        createdAt: v.createdAt.toISOString(),
      };
    })
    .filter((v) => v.gateStatus !== "FAILED")
    .slice(0, HOME_LIMIT);
}

/** Enabled monitors whose last check breached, the newest breach first. */
async function breachedMonitorsOf(teamId: string) {
  const rows = await db().driftMonitor.findMany({
    where: { teamId, enabled: true, state: "WARNING" },
    include: { model: { select: { name: true } } },
    orderBy: [{ lastBreachAt: { sort: "desc", nulls: "last" } }, { name: "asc" }],
    take: HOME_LIMIT,
  });
  return rows.map((m) => ({
    id: m.id,
    name: m.name,
    modelId: m.modelId,
    modelName: m.model.name,
    metric: monitorMetricSchema.parse(m.metric),
    comparator: comparatorSchema.parse(m.comparator),
    threshold: m.threshold,
    lastValue: m.lastValue,
    lastBreachAt: iso(m.lastBreachAt),
    lastCheckedAt: iso(m.lastCheckedAt),
  }));
}

async function jobsOf(
  teamId: string,
  where: NonNullable<Parameters<ReturnType<typeof db>["trainingJob"]["findMany"]>[0]>["where"],
): Promise<HomeJob[]> {
  const rows = await db().trainingJob.findMany({
    where: { ...where, teamId },
    include: { model: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
    take: HOME_LIMIT,
  });
  return rows.map((j) => ({
    id: j.id,
    name: j.name,
    status: j.status,
    trigger: j.trigger,
    modelId: j.modelId,
    modelName: j.model.name,
    progress: j.progress,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    finishedAt: iso(j.finishedAt),
  }));
}

/** Retrains opened since `since` (skipped ones too: a skip is a decision someone may question). */
async function retrainsOf(teamId: string, since: Date) {
  const rows = await db().retrainRequest.findMany({
    where: { teamId, createdAt: { gte: since } },
    include: { model: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
    take: HOME_LIMIT,
  });
  const jobIds = rows.flatMap((r) => (r.trainingJobId ? [r.trainingJobId] : []));
  const jobs = new Map(
    (
      await db().trainingJob.findMany({
        where: { teamId, id: { in: jobIds } },
        select: { id: true, status: true, modelVersion: { select: { id: true } } },
      })
    ).map((j) => [j.id, j]),
  );
  return rows.map((r) => {
    const job = r.trainingJobId ? jobs.get(r.trainingJobId) : undefined;
    return {
      id: r.id,
      modelId: r.modelId,
      modelName: r.model.name,
      trigger: r.trigger as "DRIFT" | "SCHEDULE" | "MANUAL",
      status: r.status,
      reason: r.reason,
      error: r.error,
      trainingJobId: r.trainingJobId,
      jobStatus: job?.status ?? null,
      modelVersionId: job?.modelVersion?.id ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  });
}
