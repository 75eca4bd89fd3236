import { userRoute } from "@/lib/server/core/http";
import { activeTeamCookie } from "@/lib/server/teams/team-cookie";
import { getMe } from "@/lib/server/teams/teams";

export const GET = userRoute(async (user, req) => getMe(user, activeTeamCookie(req.headers)));
