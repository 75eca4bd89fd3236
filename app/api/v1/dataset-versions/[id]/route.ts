import { teamRoute } from "@/lib/server/http";
import { getVersion } from "@/lib/server/datasets";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getVersion(p, id!));
