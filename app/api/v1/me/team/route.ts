import { readJson, userRoute } from "@/lib/server/core/http";
import { switchTeam } from "@/lib/server/teams/team-cookie";
import { switchTeamBodySchema } from "@/lib/schemas/teams";

/** The team switcher: sets the cookie that picks the team a browser session acts in. */
export const PUT = userRoute(async (user, req) =>
  switchTeam(user, (await readJson(req, switchTeamBodySchema)).teamId),
);
