import { createEvalSuiteBodySchema } from "@/lib/schemas/evals";
import { createEvalSuite, listEvalSuites } from "@/lib/server/evals/suites";
import { created, readJson, teamRoute } from "@/lib/server/core/http";

export const GET = teamRoute("team.read", async (p) => ({ suites: await listEvalSuites(p) }));

export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createEvalSuite(p, await readJson(req, createEvalSuiteBodySchema))),
);
