import { teamRoute } from "@/lib/server/core/http";
import { downloadVersion } from "@/lib/server/datasets/rows";
import { downloadQuerySchema } from "@/lib/schemas/datasets";

export const GET = teamRoute("team.read", async (p, req, { id }) => {
  const { valid } = downloadQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return downloadVersion(p, id!, valid === "true");
});
