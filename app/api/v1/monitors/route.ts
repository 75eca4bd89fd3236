import { createMonitorBodySchema, monitorListQuerySchema } from "@/lib/schemas/monitors";
import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createMonitor, listMonitors } from "@/lib/server/retraining/monitors";

/** `?model=` (a Model name or id) narrows the list to one Model; `?q=` searches names. */
export const GET = teamRoute("team.read", async (p, req) => ({
  monitors: await listMonitors(
    p,
    monitorListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
}));

export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createMonitor(p, await readJson(req, createMonitorBodySchema))),
);
