import { teamRoute } from "@/lib/server/core/http";
import { listSecrets } from "@/lib/server/core/secrets";

export const GET = teamRoute("team.read", async (p) => listSecrets(p));
