import { readJson, teamRoute } from "@/lib/server/core/http";
import { deleteSecret, putSecret } from "@/lib/server/core/secrets";
import { putSecretBodySchema } from "@/lib/schemas/secrets";

export const PUT = teamRoute("team.update", async (p, req, { name }) =>
  putSecret(p, name!, await readJson(req, putSecretBodySchema)),
);
export const DELETE = teamRoute("team.update", async (p, _req, { name }) => deleteSecret(p, name!));
