import { setAliasesBodySchema } from "@/lib/schemas/models";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { setAliases } from "@/lib/server/registry/aliases";

/** Replaces the version's aliases; an alias held by another version of the Model moves here. */
export const PUT = teamRoute("resource.write", async (p, req, { id }) =>
  setAliases(p, id!, await readJson(req, setAliasesBodySchema)),
);
