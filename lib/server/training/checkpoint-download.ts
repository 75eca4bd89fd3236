/**
 * A kept checkpoint of a training job as a streamed tar (GET
 * /api/v1/training-jobs/{id}/checkpoints/{name}): the folder the job page lists, its files read
 * from disk in chunks. The name is checked as a name first (400), then against the job's own
 * checkpoints (404), so no path from the request ever reaches the file system unchecked.
 */
import { authorize } from "@/lib/server/core/authorize";
import { badRequest, HttpError } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { safeFilename, tarResponse } from "@/lib/server/core/tar-download";
import { CHECKPOINT_NAME, checkpointFiles, keptCheckpoints } from "./checkpoint-files";
import { loadJob } from "./jobs";

export async function downloadCheckpoint(
  p: Principal,
  jobId: string,
  rawName: string,
): Promise<Response> {
  authorize(p, "team.read");
  const job = await loadJob(p, jobId);
  // The job page lists a checkpoint as "checkpoint-20/"; either spelling names it.
  const name = rawName.replace(/\/$/, "");
  if (!CHECKPOINT_NAME.test(name))
    throw badRequest(
      `${JSON.stringify(name.slice(0, 80))} is not a checkpoint name: expected checkpoint-<step>, as the job lists them`,
    );
  const kept = await keptCheckpoints(job.id);
  const files = kept.some((c) => c.name === name) ? await checkpointFiles(job.id, name) : null;
  if (!files)
    throw new HttpError(
      404,
      "not_found",
      kept.length
        ? `training job ${job.id} keeps no ${name}; it keeps ${kept.map((c) => c.name).join(", ")}`
        : `training job ${job.id} keeps no checkpoints (none saved yet, or its output folder was cleaned up)`,
    );
  return tarResponse(files, `${safeFilename(job.name)}-${name}.tar`);
}
