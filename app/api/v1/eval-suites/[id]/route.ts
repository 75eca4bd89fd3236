import { getEvalSuite } from "@/lib/server/eval-suites";
import { teamRoute } from "@/lib/server/http";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getEvalSuite(p, id!));
