"use client";

import { useDatasetVersionForLaunch } from "@/lib/client/hooks/training-jobs";
import { useJobToClone } from "@/lib/client/hooks/launch-prefill";
import { formStateFromSpec } from "./launch-form-from-spec";
import type { LaunchFormState } from "./launch-form-state";

export type LaunchPrefill = {
  /** Everything asked for has loaded (or failed): the form may apply it and stop asking. */
  done: boolean;
  apply?: (state: LaunchFormState) => LaunchFormState;
  /** The job being copied, for the form to say so. */
  clonedFrom?: { id: string; name: string };
  /** The job to copy could not be read. */
  error?: unknown;
};

/** A query asked for nothing, or has answered either way. */
const settled = (id: string | null, q: { data?: unknown; isError: boolean }) =>
  !id || q.data !== undefined || q.isError;

/**
 * What the launch form starts from when opened from elsewhere: `?datasetVersionId=` ("Train on
 * this version": that version and its dataset chosen) or `?from=` ("Clone and edit": the job's
 * whole spec, its datasets found from its versions). `active` false once applied: nothing more is
 * fetched.
 */
export function useLaunchPrefill(
  { datasetVersionId, fromJobId }: { datasetVersionId?: string; fromJobId?: string },
  active: boolean,
): LaunchPrefill {
  const job = useJobToClone(active && fromJobId ? fromJobId : null);
  const spec = job.data?.spec;
  const versionId = datasetVersionId ?? spec?.datasetVersionId ?? null;
  const evalId = spec?.evalDatasetVersionId ?? null;
  const version = useDatasetVersionForLaunch(active ? versionId : null);
  const evalVersion = useDatasetVersionForLaunch(active ? evalId : null);

  if (!active) return { done: true };
  if (fromJobId) {
    if (job.isError) return { done: true, error: job.error };
    const j = job.data;
    if (!j || !settled(versionId, version) || !settled(evalId, evalVersion)) return { done: false };
    return {
      done: true,
      clonedFrom: { id: j.id, name: j.name },
      apply: () =>
        formStateFromSpec(
          { ...j.spec, datasetVersionId: versionId ?? j.spec.datasetVersionId },
          {
            model: j.model.name,
            datasetId: version.data?.datasetId ?? "",
            evalDatasetId: evalVersion.data?.datasetId ?? "",
          },
        ),
    };
  }
  if (datasetVersionId) {
    const linked = version.data;
    if (linked)
      return {
        done: true,
        apply: (s) => ({ ...s, datasetId: linked.datasetId, datasetVersionId: linked.id }),
      };
    return { done: version.isError };
  }
  return { done: true };
}
