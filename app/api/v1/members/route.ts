import { teamRoute } from "@/lib/server/http";
import { listMembers } from "@/lib/server/members";

export const GET = teamRoute("team.read", async (p) => listMembers(p));
