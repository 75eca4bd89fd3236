import { teamRoute } from "@/lib/server/http";
import { downloadVersion } from "@/lib/server/dataset-rows";

export const GET = teamRoute("team.read", async (p, req, { id }) =>
  downloadVersion(p, id!, new URL(req.url).searchParams.get("valid") === "true"),
);
