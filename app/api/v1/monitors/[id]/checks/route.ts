import { z } from "zod";
import { teamRoute } from "@/lib/server/http";
import { listChecks } from "@/lib/server/monitors";

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  before: z.iso.datetime({ offset: true }).optional(),
});

/** Stored checks, newest first; `before` pages back. */
export const GET = teamRoute("team.read", async (p, req, { id }) => ({
  checks: await listChecks(
    p,
    id!,
    querySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
}));
