import type { Action, ApiKeyScope, Role } from "@/lib/domain/permissions";

/** What each role may do, shown next to role pickers. Mirrors ACTIONS in lib/domain. */
export const ROLE_SUMMARY: Record<Role, string> = {
  VIEWER: "Reads everything in the team.",
  ENGINEER: "Reads everything; creates datasets, training jobs, models and evals; posts telemetry.",
  ADMIN: "Everything an engineer does, plus members, invitations, API keys and the audit log.",
  OWNER:
    "Everything an admin does, plus granting and removing the owner role and overriding a failed gate.",
};

export const ACTION_LABEL: Record<Action, string> = {
  "team.read": "View the team and its data",
  "team.update": "Change team settings",
  "member.manage": "Change members' roles and remove members",
  "member.assign-owner": "Grant or remove the OWNER role",
  "invitation.manage": "Invite members and revoke invitations",
  "api-key.manage": "Create and revoke API keys",
  "audit.read": "Read the audit log",
  "resource.write": "Create and change datasets, training jobs, models and evals",
  "telemetry.write": "Post production telemetry",
  "version.approve": "Approve or reject model versions (a Model's gate may name the roles)",
};

export const SCOPE_LABEL: Record<ApiKeyScope, string> = {
  read: "Read team data, including the audit log",
  write: "Create and change datasets, training jobs, models and evals",
  telemetry: "Post production telemetry from your agents",
};
