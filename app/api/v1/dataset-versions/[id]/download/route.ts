import { teamRoute } from "@/lib/server/core/http";
import { downloadVersion } from "@/lib/server/datasets/rows";

export const GET = teamRoute("team.read", async (p, req, { id }) =>
  downloadVersion(p, id!, new URL(req.url).searchParams.get("valid") === "true"),
);
