import { getEvalSuite } from "@/lib/server/evals/suites";
import { teamRoute } from "@/lib/server/core/http";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getEvalSuite(p, id!));
