import { userRoute } from "@/lib/server/http";
import { activeTeamCookie } from "@/lib/server/team-cookie";
import { getMe } from "@/lib/server/teams";

export const GET = userRoute(async (user, req) => getMe(user, activeTeamCookie(req.headers)));
