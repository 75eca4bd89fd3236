import { teamRoute } from "@/lib/server/core/http";
import { listExecutors } from "@/lib/server/training/launch";

export const GET = teamRoute("team.read", async (p) => listExecutors(p));
