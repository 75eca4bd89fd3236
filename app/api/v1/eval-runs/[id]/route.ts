import { getEvalRun } from "@/lib/server/eval-runs";
import { teamRoute } from "@/lib/server/http";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getEvalRun(p, id!));
