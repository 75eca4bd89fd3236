import { roleAtLeast, type Role } from "@/lib/domain/permissions";

/**
 * What the console offers a role on the registry; the server decides again (gate, approval,
 * four eyes) and its refusal is shown verbatim.
 */

/** Engineers and above move versions between stages; PRODUCTION also needs gate and approval. */
export function canPromote(role: Role | null | undefined): boolean {
  return role != null && roleAtLeast(role, "ENGINEER");
}

/** Only an OWNER may promote past a failed gate or a missing approval, with a reason. */
export function canOverride(role: Role | null | undefined): boolean {
  return role === "OWNER";
}

/** Approvers are the roles the Model's gate policy names (by default OWNER and ADMIN). */
export function canApprove(role: Role | null | undefined, approverRoles: readonly Role[]): boolean {
  return role != null && approverRoles.includes(role);
}

/** Editing narrative, gate policy and registering models is resource.write: engineers and up. */
export function canEdit(role: Role | null | undefined): boolean {
  return role != null && roleAtLeast(role, "ENGINEER");
}
