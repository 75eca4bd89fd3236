import { approveBodySchema } from "@/lib/schemas/models";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { approveVersion } from "@/lib/server/registry/approvals";

/** A person (not an API key); the Model's policy (approverRoles) may narrow who. */
export const POST = teamRoute("version.approve", async (p, req, { id }) =>
  approveVersion(p, id!, await readJson(req, approveBodySchema)),
);
