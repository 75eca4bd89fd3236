import { promoteBodySchema } from "@/lib/schemas/models";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { promoteVersion } from "@/lib/server/registry/stage-changes";

/** 409 names the failing gate conditions or the missing approval; 403 for a role too low. */
export const POST = teamRoute("resource.write", async (p, req, { id }) =>
  promoteVersion(p, id!, await readJson(req, promoteBodySchema)),
);
