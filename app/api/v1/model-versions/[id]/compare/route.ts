import { comparisonQuerySchema } from "@/lib/schemas/models";
import { teamRoute } from "@/lib/server/core/http";
import { compareVersion } from "@/lib/server/registry/version-compare";

/** `?against=production|base|<version id>` */
export const GET = teamRoute("team.read", async (p, req, { id }) => {
  const q = comparisonQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return compareVersion(p, id!, q.against);
});
