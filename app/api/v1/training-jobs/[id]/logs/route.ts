import { teamRoute } from "@/lib/server/core/http";
import { downloadLog, readLogs } from "@/lib/server/training/jobs";
import { logsQuerySchema } from "@/lib/schemas/training-jobs";

/** `?after=<byte offset>` pages through the log; `?download=1` returns the whole file. */
export const GET = teamRoute("team.read", async (p, req, { id }) => {
  const query = logsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  if (query.download === "1") return downloadLog(p, id!, query.attempt);
  return readLogs(p, id!, query);
});
