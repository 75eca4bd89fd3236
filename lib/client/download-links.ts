/**
 * API addresses the console downloads from with a plain `<a download>` (the session cookie
 * authenticates; the server streams the tar).
 */

/** A model version's adapter files as one tar. */
export function adapterTarHref(versionId: string): string {
  return `/api/v1/model-versions/${encodeURIComponent(versionId)}/adapter`;
}

/** One kept checkpoint folder of a training job ("checkpoint-20") as one tar. */
export function checkpointTarHref(jobId: string, checkpoint: string): string {
  return `/api/v1/training-jobs/${encodeURIComponent(jobId)}/checkpoints/${encodeURIComponent(checkpoint)}`;
}

/**
 * For a job's artifacts table: a checkpoint folder's row ("checkpoint-20/") downloads as a tar;
 * the files at the top of the output folder are the adapter, downloaded from its version.
 */
export function checkpointRowHref(jobId: string) {
  return (a: { name: string }): string | null =>
    a.name.startsWith("checkpoint-") && a.name.endsWith("/")
      ? checkpointTarHref(jobId, a.name.slice(0, -1))
      : null;
}
