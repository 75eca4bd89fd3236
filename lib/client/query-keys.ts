/**
 * Every React Query key in one place, so mutations invalidate exactly what they change. Keys
 * that hold team data start with "team": switching teams resets them all at once.
 */
export const queryKeys = {
  me: ["me"] as const,
  teamScope: ["team"] as const,
  members: ["team", "members"] as const,
  invitations: ["team", "invitations"] as const,
  apiKeys: ["team", "api-keys"] as const,
  auditEvents: ["team", "audit-events"] as const,
  health: ["health"] as const,
};
