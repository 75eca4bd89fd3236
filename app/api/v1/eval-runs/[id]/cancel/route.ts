import { cancelEvalRun } from "@/lib/server/evals/read-runs";
import { teamRoute } from "@/lib/server/core/http";

export const POST = teamRoute("resource.write", async (p, _req, { id }) => cancelEvalRun(p, id!));
