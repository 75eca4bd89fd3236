/**
 * Derived registry state shared by the Model, version and gate code: a version's newest gate
 * decision and its approval status under the Model's policy.
 */
import type { GatePolicy } from "@/lib/schemas/gates";
import { type ApprovalStatus } from "@/lib/schemas/models";
import { db } from "@/lib/server/core/db";
import type { Approval as ApprovalRow, GateDecision } from "@/lib/server/generated/prisma/client";

export type GateStatusValue = "PENDING" | "PASSED" | "FAILED";

/** Who may sign off a version whose Model has no policy: anyone who may approve at all. */
export const ANY_APPROVER: ("OWNER" | "ADMIN" | "ENGINEER")[] = ["OWNER", "ADMIN", "ENGINEER"];

/** The newest decision per version (the gate of a version is its newest decision). */
export async function latestDecisions(
  versionIds: string[],
): Promise<Map<string, GateDecision & { status: GateStatusValue }>> {
  if (!versionIds.length) return new Map();
  const rows = await db().gateDecision.findMany({
    where: { modelVersionId: { in: versionIds } },
    orderBy: { createdAt: "desc" },
    distinct: ["modelVersionId"],
  });
  return new Map(
    rows.map((r) => [r.modelVersionId, { ...r, status: r.status as GateStatusValue }]),
  );
}

/**
 * Approval under a policy: not required without one (or when it does not ask); otherwise the
 * newest decision counts — a later reject withdraws an earlier approval and vice versa.
 */
export function approvalOf(
  policy: GatePolicy | null,
  approvals: Pick<ApprovalRow, "decision" | "createdAt">[],
): { required: boolean; status: ApprovalStatus } {
  const required = Boolean(policy?.requireApproval);
  const newest = [...approvals].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  if (newest) return { required, status: newest.decision === "APPROVE" ? "APPROVED" : "REJECTED" };
  return { required, status: required ? "PENDING" : "NOT_REQUIRED" };
}
