import { teamRoute } from "@/lib/server/core/http";
import { getVersionDetail } from "@/lib/server/registry/version-detail";

/** The version with its evals, gate, approval, promotions and vLLM servability. */
export const GET = teamRoute("team.read", async (p, _req, { id }) => getVersionDetail(p, id!));
