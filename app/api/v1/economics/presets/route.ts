import { teamRoute } from "@/lib/server/core/http";
import { economicsPresets } from "@/lib/server/economics/planner";

/** Project shapes and the worked case (planner input + its explanation), on the team's prices. */
export const GET = teamRoute("team.read", async (p) => economicsPresets(p));
