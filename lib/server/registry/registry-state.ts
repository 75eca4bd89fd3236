/**
 * Derived registry state shared by the Model, version and gate code: the Model's parsed policy,
 * a version's newest gate decision and its approval status under the policy.
 */
import { type GatePolicy, gatePolicySchema, type GateStatus } from "@/lib/schemas/gates";
import { type ApprovalStatus } from "@/lib/schemas/models";
import { db } from "@/lib/server/core/db";
import type { Approval as ApprovalRow, GateDecision } from "@/lib/server/generated/prisma/client";

export type GateStatusValue = GateStatus;

/** The stored policy, parsed; null when the Model has none (no gate: nothing ever passes it). */
export function policyOf(row: { policy: unknown } | null | undefined): GatePolicy | null {
  if (!row) return null;
  const parsed = gatePolicySchema.safeParse(row.policy);
  return parsed.success ? parsed.data : null;
}

/** Who may sign off a version whose Model has no policy: anyone who may approve at all. */
export const ANY_APPROVER: ("OWNER" | "ADMIN" | "ENGINEER")[] = ["OWNER", "ADMIN", "ENGINEER"];

export type StoredDecision = GateDecision & { status: GateStatusValue };

/** The newest decision per version (the gate of a version is its newest decision). */
export async function latestDecisions(versionIds: string[]): Promise<Map<string, StoredDecision>> {
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
