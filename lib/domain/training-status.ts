/**
 * Allowed training status changes (docs/architecture.md: one guarded transition per entity). Jobs and
 * their attempts share the statuses; a retry moves a finished job back to QUEUED with a new
 * attempt, so FAILED and CANCELLED are not terminal for the job, only for the attempt.
 */
export const TRAINING_STATUSES = [
  "QUEUED",
  "STARTING",
  "RUNNING",
  "CANCELLING",
  "SUCCEEDED",
  "FAILED",
  "CANCELLED",
] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

export const JOB_TRANSITIONS = {
  QUEUED: ["STARTING", "CANCELLED", "FAILED"],
  STARTING: ["RUNNING", "SUCCEEDED", "FAILED", "CANCELLING", "QUEUED"],
  RUNNING: ["SUCCEEDED", "FAILED", "CANCELLING"],
  // A cancel asked for while a process may run: CANCELLED only once the poller has seen it gone.
  CANCELLING: ["CANCELLED"],
  SUCCEEDED: [],
  FAILED: ["QUEUED"],
  CANCELLED: ["QUEUED"],
} as const satisfies Record<TrainingStatus, readonly TrainingStatus[]>;

/** A trainer process (or container) of the job may be alive. */
export const ACTIVE_STATUSES = ["STARTING", "RUNNING"] as const satisfies TrainingStatus[];
/**
 * A trainer process of the job may be alive, so its executor slot is taken: active, or
 * cancelling (the poller has not yet seen the process gone).
 */
export const SLOT_STATUSES = [...ACTIVE_STATUSES, "CANCELLING"] as const satisfies TrainingStatus[];
/** The job has not finished: waiting for a slot, running, or being stopped. */
export const IN_FLIGHT_STATUSES = ["QUEUED", ...SLOT_STATUSES] as const satisfies TrainingStatus[];
export const FINISHED_STATUSES = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;

export function canTransitionJob(from: TrainingStatus, to: TrainingStatus): boolean {
  return (JOB_TRANSITIONS[from] as readonly string[]).includes(to);
}

export function isActive(s: TrainingStatus): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(s);
}

/** A trainer process of the job may be alive (see SLOT_STATUSES). */
export function isSlotHeld(s: TrainingStatus): boolean {
  return (SLOT_STATUSES as readonly string[]).includes(s);
}

export function isInFlight(s: TrainingStatus): boolean {
  return (IN_FLIGHT_STATUSES as readonly string[]).includes(s);
}

export function isFinished(s: TrainingStatus): boolean {
  return (FINISHED_STATUSES as readonly string[]).includes(s);
}

/**
 * What a cancel moves a job to: a job with no process yet is CANCELLED at once; one whose trainer
 * may run is CANCELLING until the poller has stopped it.
 */
export function cancelTarget(s: TrainingStatus): "CANCELLED" | "CANCELLING" {
  return s === "QUEUED" ? "CANCELLED" : "CANCELLING";
}

export function canCancel(s: TrainingStatus): boolean {
  return s !== "CANCELLING" && canTransitionJob(s, cancelTarget(s));
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
