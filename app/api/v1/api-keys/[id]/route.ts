import { teamRoute } from "@/lib/server/core/http";
import { revokeApiKey } from "@/lib/server/teams/api-keys";

export const DELETE = teamRoute("api-key.manage", async (p, _req, { id }) => revokeApiKey(p, id!));
