import { getEvalRun } from "@/lib/server/evals/read-runs";
import { teamRoute } from "@/lib/server/core/http";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getEvalRun(p, id!));
