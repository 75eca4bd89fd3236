/**
 * Approve / reject a candidate or staging version. Approvals are given by signed-in people in the
 * roles the Model's gate policy names; an approval may complete what auto-promotion waits for.
 */
import { approvalRefusal } from "@/lib/domain/approval-rules";
import { type ApproveBody, approveBodySchema, type ModelVersionDetail } from "@/lib/schemas/models";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { conflict, forbidden } from "@/lib/server/core/errors";
import { ANY_APPROVER, policyOf } from "./registry-state";
import type { Principal } from "@/lib/server/core/principal";
import { loadVersion, getVersionDetail } from "./version-detail";
import { autoPromote } from "./stage-changes";

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
  const role = p.actor.role;
  const refusal = approvalRefusal({
    actor: p.actor,
    userId: p.userId,
    // Without a policy a sign-off is optional and open to anyone who may approve at all.
    approverRoles: policy?.approverRoles ?? ANY_APPROVER,
    mustDifferFromLauncher: policy?.approverMustDifferFromLauncher ?? false,
    launcherId: v.trainingJob?.createdById ?? null,
  });
  if (refusal) throw forbidden(refusal);
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
