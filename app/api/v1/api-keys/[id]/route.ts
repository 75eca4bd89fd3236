import { teamRoute } from "@/lib/server/http";
import { revokeApiKey } from "@/lib/server/api-keys";

export const DELETE = teamRoute("api-key.manage", async (p, _req, { id }) => revokeApiKey(p, id!));
