import { teamRoute } from "@/lib/server/core/http";
import { currentTeam } from "@/lib/server/teams/team-cookie";

/** The team this credential acts in (for an API key: the key's team). */
export const GET = teamRoute("team.read", async (p) => currentTeam(p));
