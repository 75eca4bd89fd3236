import { createMonitorBodySchema } from "@/lib/schemas/monitors";
import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createMonitor, listMonitors } from "@/lib/server/retraining/monitors";

/** `?model=` (a Model name or id) narrows the list to one Model. */
export const GET = teamRoute("team.read", async (p, req) => ({
  monitors: await listMonitors(p, {
    model: new URL(req.url).searchParams.get("model") ?? undefined,
  }),
}));

export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createMonitor(p, await readJson(req, createMonitorBodySchema))),
);
