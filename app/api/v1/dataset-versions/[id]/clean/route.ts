import { accepted, teamRoute } from "@/lib/server/core/http";
import { createCleanedVersion } from "@/lib/server/datasets/rows";

/** Creates a new version holding only the valid rows of an INVALID one. */
export const POST = teamRoute("resource.write", async (p, _req, { id }) =>
  accepted(await createCleanedVersion(p, id!)),
);
