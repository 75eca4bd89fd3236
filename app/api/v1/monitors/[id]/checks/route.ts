import { checksQuerySchema } from "@/lib/schemas/monitors";
import { teamRoute } from "@/lib/server/core/http";
import { listChecks } from "@/lib/server/retraining/monitors";

/** Stored checks, newest first; `before` pages back. */
export const GET = teamRoute("team.read", async (p, req, { id }) => ({
  checks: await listChecks(
    p,
    id!,
    checksQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
}));
