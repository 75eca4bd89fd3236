/** Allowed dataset-version status changes; lib/server applies them as guarded updates. */
export const DATASET_VERSION_TRANSITIONS = {
  VALIDATING: ["READY", "INVALID"],
  READY: [],
  INVALID: [],
} as const satisfies Record<string, readonly string[]>;

export type DatasetVersionStatus = keyof typeof DATASET_VERSION_TRANSITIONS;

export function canTransition(from: DatasetVersionStatus, to: DatasetVersionStatus): boolean {
  return (DATASET_VERSION_TRANSITIONS[from] as readonly string[]).includes(to);
}
