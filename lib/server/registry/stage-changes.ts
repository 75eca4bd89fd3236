/**
 * Stage changes of model versions — promote, roll back (promote an
 * earlier version), archive. One PRODUCTION version per Model: a stage change locks the Model row
 * and moves the previous production version to ARCHIVED in the same transaction. Every change is
 * a Promotion row plus an audit event.
 *
 * Rules: STAGING needs ENGINEER and no evidence; PRODUCTION needs a decided, PASSED gate (a
 * version with no finished evaluation, or a Model with no gate policy, has none), the approval
 * the policy asks for, and an adapter vLLM can serve — or an OWNER override with a reason
 * (audited). A version that was in production before may be rolled back to without a new gate.
 * Auto-promotion follows the same rules, without the override.
 */
import { gateBlocker } from "@/lib/domain/gate";
import { roleAtLeast } from "@/lib/domain/permissions";
import type { GatePolicy } from "@/lib/schemas/gates";
import { type ModelVersionDetail, type PromoteBody, promoteBodySchema } from "@/lib/schemas/models";
import { recordAudit } from "@/lib/server/core/audit";
import { freezeBaselineAtPromotion } from "@/lib/server/telemetry/baseline";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Tx } from "@/lib/server/core/db";
import { conflict, forbidden, HttpError } from "@/lib/server/core/errors";
import type { ModelVersion as VersionRow, Stage } from "@/lib/server/generated/prisma/client";
import type { Principal } from "@/lib/server/core/principal";
import { approvalOf, policyOf } from "./registry-state";
import { actorNamer } from "@/lib/server/teams/actor-names";
import { notify } from "@/lib/server/webhooks/webhooks";
import { gateOf } from "./gate-view";
import { type Loaded, loadVersion, servabilityOf, getVersionDetail } from "./version-detail";
import { versionUrl } from "./version-url";

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
  // Named before the transaction, so no lookup holds the Model's lock (the team is the
  // version's: an API key's name is looked up within it).
  const team = await db().modelVersion.findUnique({
    where: { id: c.versionId },
    select: { teamId: true },
  });
  const actor = (await actorNamer(team?.teamId ?? "", [c]))(c);
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
        actor,
        url: versionUrl(v.id),
        ...(c.override && c.reason ? { failures: [`override: ${c.reason}`] } : {}),
      },
      tx,
    );
    return { from, replaced };
  });
}

/**
 * Why PRODUCTION is refused now (empty: allowed). The gate is checked with or without a policy:
 * no evidence (or nothing to decide it) is never a pass.
 */
async function productionBlockers(v: Loaded, policy: GatePolicy | null): Promise<string[]> {
  const blockers: string[] = [];
  const gateBlocks = gateBlocker(await gateOf(v, policy));
  if (gateBlocks) blockers.push(gateBlocks);
  if (policy) {
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
