/**
 * The registry workflow of model versions: the version page's data (evals, gate, approval,
 * promotions, servability), approve / reject, and stage changes — promote, roll back (promote an
 * earlier version), archive. One PRODUCTION version per Model: a stage change locks the Model row
 * and moves the previous production version to ARCHIVED in the same transaction. Every change is
 * a Promotion row plus an audit event.
 *
 * Rules: STAGING needs ENGINEER; PRODUCTION needs the gate PASSED, the approval the policy asks
 * for, and an adapter vLLM can serve — or an OWNER override with a reason (audited). A version
 * that was in production before may be rolled back to without a new gate.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { checkVllmServable, vllmServeSnippet } from "@/lib/domain/vllm-compat";
import { roleAtLeast } from "@/lib/domain/permissions";
import type { GatePolicy } from "@/lib/schemas/gates";
import {
  type ApproveBody,
  approveBodySchema,
  type ModelVersionDetail,
  type PromoteBody,
  promoteBodySchema,
  type SetAliasesBody,
  setAliasesBodySchema,
  type VersionEval,
  type VersionGate,
} from "@/lib/schemas/models";
import { artifactPath } from "@/lib/server/core/artifacts";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { freezeBaselineAtPromotion } from "@/lib/server/telemetry/baseline";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Tx } from "@/lib/server/core/db";
import { conflict, forbidden, HttpError, notFound } from "@/lib/server/core/errors";
import { toEvalRun } from "@/lib/server/evals/runs";
import { computeGate, versionUrl } from "./gate-decisions";
import type { ModelVersion as VersionRow, Stage } from "@/lib/server/generated/prisma/client";
import { toModelVersion } from "./model-versions";
import { policyOf } from "./models";
import type { Principal } from "@/lib/server/core/principal";
import { approvalOf, latestDecisions } from "./registry-state";
import { notify } from "@/lib/server/webhooks/webhooks";

const ANY_APPROVER: ("OWNER" | "ADMIN" | "ENGINEER")[] = ["OWNER", "ADMIN", "ENGINEER"];

/** vLLM accepts ranks up to 512 with the right --max-lora-rank; the snippet names the value. */
const VLLM_RANK_CEILING = 512;

async function loadVersion(p: Principal, id: string) {
  const v = await db().modelVersion.findFirst({
    where: { id, teamId: p.teamId },
    include: {
      model: { include: { gatePolicy: true } },
      trainingJob: { select: { createdById: true } },
    },
  });
  if (!v) throw notFound("model version", id);
  return v;
}

type Loaded = Awaited<ReturnType<typeof loadVersion>>;

async function adapterConfigOf(v: Pick<VersionRow, "adapterUri">): Promise<unknown> {
  if (!v.adapterUri) return null;
  try {
    const text = await readFile(
      path.join(artifactPath(v.adapterUri), "adapter_config.json"),
      "utf8",
    );
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function servabilityOf(v: Loaded) {
  if (!v.adapterUri) return null;
  const config = await adapterConfigOf(v);
  const check = checkVllmServable(config ?? "missing", { maxLoraRank: VLLM_RANK_CEILING });
  const loraName = `${v.model.name.replace(/[^\w.-]+/g, "-")}-v${v.version}`;
  return {
    servable: check.servable,
    problems: config === null ? ["adapter_config.json is missing or unreadable"] : check.problems,
    rank: check.rank,
    maxLoraRank: check.maxLoraRankNeeded,
    snippet: vllmServeSnippet({
      baseModel: v.baseModel,
      loraName,
      adapterPath: artifactPath(v.adapterUri),
      maxLoraRank: check.maxLoraRankNeeded,
    }),
  };
}

/** The version's own run, production's and the base model's, newest each, on the suite. */
async function evalsOf(v: Loaded): Promise<VersionEval[]> {
  const suiteId = v.model.evalSuiteId;
  if (!suiteId) return [];
  const production = await db().modelVersion.findFirst({
    where: { modelId: v.modelId, stage: "PRODUCTION", id: { not: v.id } },
    select: { id: true },
  });
  const include = { suite: { select: { name: true } } } as const;
  const newest = (where: object) =>
    db().evalRun.findFirst({
      where: { suiteId, ...where },
      orderBy: { createdAt: "desc" },
      include,
    });
  const rows = await Promise.all([
    newest({ modelVersionId: v.id }),
    production ? newest({ modelVersionId: production.id }) : Promise.resolve(null),
    newest({ targetKind: "BASE_MODEL", targetKey: `base-model:${v.baseModel}` }),
  ]);
  const [own, prod, base] = rows.map((r) => (r ? toEvalRun(r) : null));
  const view = (run: NonNullable<typeof own>, kind = run.target.kind): VersionEval => ({
    runId: run.id,
    status: run.status,
    target: { ...run.target, kind },
    metrics: run.metrics,
    caseCount: run.caseCount,
    progress: run.progress,
  });
  return [
    own ? view(own) : null,
    // A run of the production version made when it was a candidate still shows as production.
    prod ? view(prod, "PRODUCTION") : null,
    base ? view(base) : null,
  ].filter((e): e is VersionEval => e !== null);
}

async function gateOf(v: Loaded, policy: GatePolicy | null): Promise<VersionGate> {
  if (!policy)
    return {
      status: "PASSED",
      conditions: [],
      failures: [],
      evidence: null,
      decidedAt: null,
      productionVersionId: null,
    };
  const latest = (await latestDecisions([v.id])).get(v.id);
  if (latest) {
    const evidence = latest.evidence as VersionGate["evidence"];
    return {
      status: latest.status,
      conditions: evidence?.conditions ?? [],
      failures: evidence?.failures ?? [],
      evidence,
      decidedAt: latest.createdAt.toISOString(),
      productionVersionId: latest.productionVersionId,
    };
  }
  // Never decided yet (no evaluation finished): show what the gate would say now.
  const { evaluation, productionVersionId } = await computeGate(v, policy, v.model.evalSuiteId);
  return {
    status: evaluation.status,
    conditions: evaluation.conditions,
    failures: evaluation.failures,
    evidence: evaluation,
    decidedAt: null,
    productionVersionId,
  };
}

async function approvalView(v: Loaded, policy: GatePolicy | null) {
  const rows = await db().approval.findMany({
    where: { modelVersionId: v.id },
    orderBy: { createdAt: "asc" },
  });
  const users = await db().user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.userId))] } },
    select: { id: true, name: true, email: true },
  });
  const nameOf = new Map(users.map((u) => [u.id, u.name || u.email]));
  const { required, status } = approvalOf(policy, rows);
  return {
    required,
    status,
    approverRoles: policy?.approverRoles ?? ANY_APPROVER,
    launcherMayApprove: !policy?.approverMustDifferFromLauncher,
    decisions: rows.map((r) => ({
      decision: r.decision,
      userId: r.userId,
      userName: nameOf.get(r.userId) ?? r.userId,
      role: r.role,
      comment: r.comment,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

async function promotionsOf(versionId: string) {
  const rows = await db().promotion.findMany({
    where: { modelVersionId: versionId },
    orderBy: { createdAt: "desc" },
  });
  const users = await db().user.findMany({
    where: { id: { in: rows.map((r) => r.actorUserId).filter((x): x is string => !!x) } },
    select: { id: true, name: true, email: true },
  });
  const nameOf = new Map(users.map((u) => [u.id, u.name || u.email]));
  return rows.map((r) => ({
    fromStage: r.fromStage,
    toStage: r.toStage,
    kind: r.kind,
    override: r.override,
    reason: r.reason,
    actor: r.actorUserId
      ? (nameOf.get(r.actorUserId) ?? r.actorUserId)
      : r.actorApiKeyId
        ? "API key"
        : "retune",
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function getVersionDetail(p: Principal, id: string): Promise<ModelVersionDetail> {
  authorize(p, "team.read");
  const v = await loadVersion(p, id);
  const base = toModelVersion(v);
  const policy = policyOf(v.model.gatePolicy);
  const [evals, gate, approval, promotions, servability] = await Promise.all([
    evalsOf(v),
    gateOf(v, policy),
    approvalView(v, policy),
    promotionsOf(v.id),
    servabilityOf(v),
  ]);
  return { ...base, evals, gate, approval, promotions, servability };
}

// ---------------------------------------------------------------------------------------------
// Approval

export async function approveVersion(
  p: Principal,
  id: string,
  input: ApproveBody,
): Promise<ModelVersionDetail> {
  authorize(p, "version.approve");
  const body = approveBodySchema.parse(input);
  if (p.actor.kind !== "user" || !p.userId)
    throw forbidden("approvals are given by signed-in people, not API keys");
  const v = await loadVersion(p, id);
  const policy = policyOf(v.model.gatePolicy);
  // Without a policy a sign-off is optional and open to anyone who may approve at all.
  const roles = policy?.approverRoles ?? ANY_APPROVER;
  const role = p.actor.role;
  if (!roles.includes(role))
    throw forbidden(`approving needs one of the roles ${roles.join(", ")}; you are ${role}`);
  if (policy?.approverMustDifferFromLauncher && v.trainingJob?.createdById === p.userId)
    throw forbidden(
      "this Model's policy needs an approver other than whoever launched the training job",
    );
  if (v.stage === "ARCHIVED" || v.stage === "PRODUCTION")
    throw conflict(
      `model version ${id} is ${v.stage}; only candidates and staging versions are approved`,
    );
  const decision = body.decision === "approve" ? "APPROVE" : "REJECT";
  await db().$transaction(async (tx) => {
    await tx.approval.create({
      data: {
        modelVersionId: v.id,
        userId: p.userId!,
        role,
        decision,
        comment: body.comment ?? null,
      },
    });
    await recordAudit(
      {
        ...actorOf(p),
        action: decision === "APPROVE" ? "model-version.approve" : "model-version.reject",
        targetType: "model-version",
        targetId: v.id,
        metadata: { model: v.model.name, version: v.version, comment: body.comment ?? null },
      },
      tx,
    );
  });
  if (decision === "APPROVE") await autoPromote(v.id);
  return getVersionDetail(p, id);
}

// ---------------------------------------------------------------------------------------------
// Stage changes

type StageChange = {
  versionId: string;
  to: Stage;
  kind: "promote" | "rollback" | "archive" | "auto";
  reason: string | null;
  override: boolean;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  ip: string | null;
};

/**
 * Moves a version to `to` atomically: the Model row is locked, so two promotions of one Model
 * serialize, and the previous PRODUCTION version (if any) becomes ARCHIVED in the same commit.
 */
async function changeStage(c: StageChange): Promise<{ from: Stage; replaced: VersionRow | null }> {
  const result = await changeStageTx(c);
  // Drift monitors compare production traffic with the mix this version was promoted into.
  if (c.to === "PRODUCTION" && result.from !== "PRODUCTION")
    await freezeBaselineAtPromotion(c.versionId).catch((e) =>
      console.warn(`[registry] baseline for ${c.versionId} not frozen: ${String(e)}`),
    );
  return result;
}

async function changeStageTx(
  c: StageChange,
): Promise<{ from: Stage; replaced: VersionRow | null }> {
  return db().$transaction(async (tx: Tx) => {
    const v = await tx.modelVersion.findUniqueOrThrow({
      where: { id: c.versionId },
      include: { model: true },
    });
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${v.modelId} FOR UPDATE`;
    const fresh = await tx.modelVersion.findUniqueOrThrow({ where: { id: v.id } });
    const from = fresh.stage;
    if (from === c.to) return { from, replaced: null };
    let replaced: VersionRow | null = null;
    const now = new Date();
    if (c.to === "PRODUCTION") {
      replaced = await tx.modelVersion.findFirst({
        where: { modelId: v.modelId, stage: "PRODUCTION", id: { not: v.id } },
      });
      if (replaced) {
        await tx.modelVersion.update({
          where: { id: replaced.id },
          data: { stage: "ARCHIVED", stageChangedAt: now },
        });
        await tx.promotion.create({
          data: {
            modelVersionId: replaced.id,
            fromStage: "PRODUCTION",
            toStage: "ARCHIVED",
            kind: "demote",
            reason: `replaced by v${v.version}`,
            actorUserId: c.actorUserId,
            actorApiKeyId: c.actorApiKeyId,
          },
        });
      }
    }
    await tx.modelVersion.update({
      where: { id: v.id },
      data: { stage: c.to, stageChangedAt: now },
    });
    await tx.promotion.create({
      data: {
        modelVersionId: v.id,
        fromStage: from,
        toStage: c.to,
        kind: c.kind,
        override: c.override,
        reason: c.reason,
        actorUserId: c.actorUserId,
        actorApiKeyId: c.actorApiKeyId,
      },
    });
    await recordAudit(
      {
        teamId: v.teamId,
        actorUserId: c.actorUserId,
        actorApiKeyId: c.actorApiKeyId,
        ip: c.ip,
        action: c.override ? "model-version.promote-override" : `model-version.${c.kind}`,
        targetType: "model-version",
        targetId: v.id,
        metadata: {
          model: v.model.name,
          version: v.version,
          from,
          to: c.to,
          reason: c.reason,
          override: c.override,
          replacedVersionId: replaced?.id ?? null,
          replacedVersion: replaced?.version ?? null,
        },
      },
      tx,
    );
    await notify(
      v.teamId,
      {
        kind: c.kind === "rollback" ? "rolled_back" : "promoted",
        model: v.model.name,
        version: v.version,
        stage: c.to,
        actor: c.actorUserId ? undefined : "retune",
        url: versionUrl(v.id),
        ...(c.override && c.reason ? { failures: [`override: ${c.reason}`] } : {}),
      },
      tx,
    );
    return { from, replaced };
  });
}

/** Why PRODUCTION is refused now (empty: allowed). */
async function productionBlockers(v: Loaded, policy: GatePolicy | null): Promise<string[]> {
  const blockers: string[] = [];
  if (policy) {
    const gate = await gateOf(v, policy);
    if (gate.status !== "PASSED")
      blockers.push(
        gate.status === "PENDING"
          ? `the gate has not passed yet (${gate.failures[0] ?? "pending"})`
          : `the gate failed: ${gate.failures.join("; ")}`,
      );
    const rows = await db().approval.findMany({ where: { modelVersionId: v.id } });
    const approval = approvalOf(policy, rows);
    if (approval.required && approval.status !== "APPROVED")
      blockers.push(
        approval.status === "REJECTED"
          ? "the version was rejected by an approver"
          : `approval by ${policy.approverRoles.join(" or ")} is required`,
      );
  }
  const servability = await servabilityOf(v);
  if (!servability) blockers.push("the version has no adapter artifact");
  else if (!servability.servable)
    blockers.push(`vLLM cannot serve this adapter: ${servability.problems.join("; ")}`);
  return blockers;
}

const ALLOWED: Record<Stage, Stage[]> = {
  CANDIDATE: ["STAGING", "PRODUCTION", "ARCHIVED"],
  STAGING: ["PRODUCTION", "ARCHIVED", "CANDIDATE"],
  PRODUCTION: [],
  ARCHIVED: ["STAGING", "PRODUCTION"],
};

export async function promoteVersion(
  p: Principal,
  id: string,
  input: PromoteBody,
): Promise<ModelVersionDetail> {
  authorize(p, "resource.write");
  const body = promoteBodySchema.parse(input);
  const v = await loadVersion(p, id);
  const policy = policyOf(v.model.gatePolicy);
  const to = body.stage;
  if (v.stage === to) return getVersionDetail(p, id);
  if (v.stage === "PRODUCTION")
    throw conflict(
      `model version ${v.version} is in production; promote another version to replace it (that archives this one), or roll back to an earlier one`,
    );
  if (!ALLOWED[v.stage].includes(to))
    throw new HttpError(422, "invalid_stage", `a ${v.stage} version cannot move to ${to}`, [
      { path: "stage", message: `${v.stage} → ${to} is not a stage change retune makes` },
    ]);
  let kind: StageChange["kind"] = to === "ARCHIVED" ? "archive" : "promote";
  let override = false;
  if (to === "PRODUCTION") {
    const wasProduction = await db().promotion.findFirst({
      where: { modelVersionId: v.id, toStage: "PRODUCTION" },
    });
    if (wasProduction) {
      kind = "rollback"; // it passed its gate when it went to production the first time
    } else {
      const blockers = await productionBlockers(v, policy);
      if (blockers.length) {
        if (!body.override)
          throw new HttpError(
            409,
            "promotion_blocked",
            `model version ${v.version} cannot go to PRODUCTION: ${blockers.join("; ")}`,
            blockers.map((message) => ({ path: "gate", message })),
          );
        if (p.actor.kind !== "user" || !roleAtLeast(p.actor.role, "OWNER"))
          throw forbidden(
            `only an OWNER may override the gate (${blockers.join("; ")}); you are ${p.actor.kind === "user" ? p.actor.role : "an API key"}`,
          );
        override = true;
      }
    }
  } else if (body.override) {
    throw new HttpError(422, "invalid", "override only applies to PRODUCTION", [
      { path: "override", message: "only promotions to PRODUCTION are gated" },
    ]);
  }
  await changeStage({
    versionId: v.id,
    to,
    kind,
    reason: body.reason ?? null,
    override,
    actorUserId: p.userId,
    actorApiKeyId: p.apiKeyId,
    ip: p.ip,
  });
  return getVersionDetail(p, id);
}

/**
 * The policy's auto-promotion, run when a gate passes or an approval arrives: to
 * `autoPromoteTo` when the gate passed and (for PRODUCTION) the approval it asks for is given.
 */
export async function autoPromote(versionId: string): Promise<boolean> {
  const v = await db().modelVersion.findUnique({
    where: { id: versionId },
    include: {
      model: { include: { gatePolicy: true, retrainPolicy: { select: { autoPromote: true } } } },
      trainingJob: { select: { createdById: true, trigger: true } },
    },
  });
  if (!v) return false;
  const policy = policyOf(v.model.gatePolicy);
  // A re-tune the Model started itself (drift or schedule) goes to PRODUCTION when its retrain
  // policy says so — the loop closes without a person — still only through a passed gate and
  // whatever approval the gate policy asks for.
  const automated = v.trainingJob?.trigger === "DRIFT" || v.trainingJob?.trigger === "SCHEDULE";
  const to = automated && v.model.retrainPolicy?.autoPromote ? "PRODUCTION" : policy?.autoPromoteTo;
  if (!policy || !to || v.stage === "ARCHIVED" || v.stage === "PRODUCTION" || v.stage === to)
    return false;
  if (to === "PRODUCTION") {
    if ((await productionBlockers(v, policy)).length) return false;
  } else {
    const gate = await gateOf(v, policy);
    if (gate.status !== "PASSED") return false;
  }
  await changeStage({
    versionId: v.id,
    to,
    kind: "auto",
    reason:
      automated && v.model.retrainPolicy?.autoPromote
        ? `the gate passed; the retrain policy promotes automated re-tunes to ${to}`
        : `the gate passed; the Model's policy promotes to ${to}`,
    override: false,
    actorUserId: null,
    actorApiKeyId: null,
    ip: null,
  });
  return true;
}

/**
 * Sets a version's aliases (MLflow-style: "champion", "shadow"). An alias names one version per
 * Model, so taking it moves it from whichever version held it, in one transaction.
 */
export async function setAliases(
  p: Principal,
  id: string,
  input: SetAliasesBody,
): Promise<ModelVersionDetail> {
  authorize(p, "resource.write");
  const { aliases } = setAliasesBodySchema.parse(input);
  const wanted = [...new Set(aliases)];
  const v = await loadVersion(p, id);
  await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${v.modelId} FOR UPDATE`;
    const holders = await tx.modelVersion.findMany({
      where: { modelId: v.modelId, id: { not: v.id }, aliases: { hasSome: wanted } },
    });
    for (const h of holders)
      await tx.modelVersion.update({
        where: { id: h.id },
        data: { aliases: h.aliases.filter((a) => !wanted.includes(a)) },
      });
    await tx.modelVersion.update({ where: { id: v.id }, data: { aliases: wanted } });
    await recordAudit(
      {
        ...actorOf(p),
        action: "model-version.aliases",
        targetType: "model-version",
        targetId: v.id,
        metadata: { aliases: wanted.join(", "), before: v.aliases.join(", ") },
      },
      tx,
    );
  });
  return getVersionDetail(p, id);
}
