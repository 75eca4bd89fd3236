import { teamRoute } from "@/lib/server/core/http";
import { getVersion } from "@/lib/server/datasets/datasets";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getVersion(p, id!));
