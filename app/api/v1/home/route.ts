import { teamRoute } from "@/lib/server/core/http";
import { getHome } from "@/lib/server/retraining/attention";

/** What needs attention in the active team: the console's home page. */
export const GET = teamRoute("team.read", async (p) => getHome(p));
