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
  trainingJobs: ["team", "training-jobs"] as const,
  modelVersions: ["team", "model-versions"] as const,
  models: ["team", "models"] as const,
  evalSuites: ["team", "eval-suites"] as const,
  evalRuns: ["team", "eval-runs"] as const,
  webhooks: ["team", "webhooks"] as const,
  secrets: ["team", "secrets"] as const,
  /** The base-model catalogue is in code, the same for every team. */
  baseModels: ["base-models"] as const,
  /** Which executors this installation can reach; not team data either. */
  executors: ["executors"] as const,
};
