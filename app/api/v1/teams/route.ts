import { created, readJson, userRoute } from "@/lib/server/core/http";
import { createTeam, listMyTeams } from "@/lib/server/teams/teams";
import { createTeamBodySchema } from "@/lib/schemas/teams";

export const GET = userRoute(async (user) => listMyTeams(user));
export const POST = userRoute(async (user, req) =>
  created(await createTeam(user, await readJson(req, createTeamBodySchema))),
);
