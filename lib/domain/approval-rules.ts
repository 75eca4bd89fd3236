/**
 * Who may sign off a version, as one pure rule: the approve endpoint refuses with its answer,
 * and the home page asks it before offering Approve, so the two never disagree.
 */
import { type Actor, can, type Role } from "./permissions";

export type ApprovalAsk = {
  actor: Actor;
  userId: string | null;
  /** The roles the Model's gate policy names (every role that may approve, without a policy). */
  approverRoles: readonly Role[];
  /** Four eyes: the policy's approverMustDifferFromLauncher. */
  mustDifferFromLauncher: boolean;
  /** Who launched the version's training job, when it had one. */
  launcherId: string | null;
};

/** Why `ask.actor` may not approve, or null when they may. */
export function approvalRefusal(ask: ApprovalAsk): string | null {
  if (ask.actor.kind !== "user" || !ask.userId)
    return "approvals are given by signed-in people, not API keys";
  const role = ask.actor.role;
  if (!can(ask.actor, "version.approve") || !ask.approverRoles.includes(role))
    return `approving needs one of the roles ${ask.approverRoles.join(", ")}; you are ${role}`;
  if (ask.mustDifferFromLauncher && ask.launcherId === ask.userId)
    return "this Model's policy needs an approver other than whoever launched the training job";
  return null;
}
