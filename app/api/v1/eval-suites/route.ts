import { createEvalSuiteBodySchema } from "@/lib/schemas/evals";
import { createEvalSuite, listEvalSuites } from "@/lib/server/evals/suites";
import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { listSearchQuerySchema } from "@/lib/schemas/search";

/** `?q=` keeps the suites whose name contains it (any case). */
export const GET = teamRoute("team.read", async (p, req) => ({
  suites: await listEvalSuites(
    p,
    listSearchQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
}));

export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createEvalSuite(p, await readJson(req, createEvalSuiteBodySchema))),
);
