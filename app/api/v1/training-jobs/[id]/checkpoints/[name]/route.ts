import { teamRoute } from "@/lib/server/core/http";
import { downloadCheckpoint } from "@/lib/server/training/checkpoint-download";

/** One kept checkpoint folder (as the job lists it) as a tar, streamed from the job's output. */
export const GET = teamRoute("team.read", async (p, _req, { id, name }) =>
  downloadCheckpoint(p, id!, name!),
);
