import { teamRoute } from "@/lib/server/http";
import { getModelVersion } from "@/lib/server/model-versions";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getModelVersion(p, id!));
