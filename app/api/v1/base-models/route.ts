import { teamRoute } from "@/lib/server/http";
import { listBaseModels } from "@/lib/server/model-versions";

export const GET = teamRoute("team.read", async (p) => listBaseModels(p));
