import { evalCasesQuerySchema } from "@/lib/schemas/evals";
import { listEvalCases } from "@/lib/server/evals/read-runs";
import { teamRoute } from "@/lib/server/core/http";

/** `?failed=true` lists only the cases that did not pass; page with `after` (the last index). */
export const GET = teamRoute("team.read", async (p, req, { id }) =>
  listEvalCases(
    p,
    id!,
    evalCasesQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
);
