import { plannerInputSchema } from "@/lib/schemas/economics";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { planForTeam } from "@/lib/server/economics/planner";

/** The planner: monthly cost hybrid vs frontier-only, payback, break-even, sensitivity, prices used. */
export const POST = teamRoute("team.read", async (p, req) =>
  planForTeam(p, await readJson(req, plannerInputSchema)),
);
