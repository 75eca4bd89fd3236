import { teamRoute } from "@/lib/server/http";
import { listSecrets } from "@/lib/server/secrets";

export const GET = teamRoute("team.read", async (p) => listSecrets(p));
