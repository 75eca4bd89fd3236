import { advisorInputSchema } from "@/lib/schemas/economics";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { adviseForTeam } from "@/lib/server/economics/advisor";

/** The advisor: checked situations (+ plan, + planner numbers) → one recommendation and warnings. */
export const POST = teamRoute("team.read", async (p, req) =>
  adviseForTeam(p, await readJson(req, advisorInputSchema)),
);
