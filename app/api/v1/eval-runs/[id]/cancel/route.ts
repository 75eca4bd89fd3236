import { cancelEvalRun } from "@/lib/server/eval-runs";
import { teamRoute } from "@/lib/server/http";

export const POST = teamRoute("resource.write", async (p, _req, { id }) => cancelEvalRun(p, id!));
