/**
 * Allowed training status changes (docs/architecture.md: one guarded transition per entity). Jobs and
 * their attempts share the statuses; a retry moves a finished job back to QUEUED with a new
 * attempt, so FAILED and CANCELLED are not terminal for the job, only for the attempt.
 */
export const TRAINING_STATUSES = [
  "QUEUED",
  "STARTING",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "CANCELLED",
] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

export const JOB_TRANSITIONS = {
  QUEUED: ["STARTING", "CANCELLED", "FAILED"],
  STARTING: ["RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "QUEUED"],
  RUNNING: ["SUCCEEDED", "FAILED", "CANCELLED"],
  SUCCEEDED: [],
  FAILED: ["QUEUED"],
  CANCELLED: ["QUEUED"],
} as const satisfies Record<TrainingStatus, readonly TrainingStatus[]>;

/** A trainer process (or container) of the job may be alive. */
export const ACTIVE_STATUSES = ["STARTING", "RUNNING"] as const satisfies TrainingStatus[];
/** The job has not finished: waiting for a slot, or active. */
export const IN_FLIGHT_STATUSES = [
  "QUEUED",
  ...ACTIVE_STATUSES,
] as const satisfies TrainingStatus[];
export const FINISHED_STATUSES = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;

export function canTransitionJob(from: TrainingStatus, to: TrainingStatus): boolean {
  return (JOB_TRANSITIONS[from] as readonly string[]).includes(to);
}

export function isActive(s: TrainingStatus): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(s);
}

export function isInFlight(s: TrainingStatus): boolean {
  return (IN_FLIGHT_STATUSES as readonly string[]).includes(s);
}

export function isFinished(s: TrainingStatus): boolean {
  return (FINISHED_STATUSES as readonly string[]).includes(s);
}

export function canCancel(s: TrainingStatus): boolean {
  return canTransitionJob(s, "CANCELLED");
}

export function canRetry(s: TrainingStatus): boolean {
  return s === "FAILED" || s === "CANCELLED";
}

/**
 * Seconds left, from the pace so far: elapsed / steps done × steps remaining. Null until there is
 * a pace to extrapolate (at least one step beyond where this attempt started).
 */
export function etaSeconds(x: {
  elapsedSeconds: number;
  stepsDone: number;
  totalSteps: number | null;
}): number | null {
  if (!x.totalSteps || x.stepsDone <= 0 || x.elapsedSeconds <= 0) return null;
  const remaining = Math.max(0, x.totalSteps - x.stepsDone);
  return Math.round((x.elapsedSeconds / x.stepsDone) * remaining);
}
