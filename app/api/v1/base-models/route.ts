import { teamRoute } from "@/lib/server/core/http";
import { listBaseModels } from "@/lib/server/registry/model-versions";

export const GET = teamRoute("team.read", async (p) => listBaseModels(p));
