import { teamRoute } from "@/lib/server/core/http";
import { listMembers } from "@/lib/server/teams/members";

export const GET = teamRoute("team.read", async (p) => listMembers(p));
