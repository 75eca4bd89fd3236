import { updateMonitorBodySchema } from "@/lib/schemas/monitors";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { deleteMonitor, getMonitor, updateMonitor } from "@/lib/server/retraining/monitors";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getMonitor(p, id!));

export const PATCH = teamRoute("resource.write", async (p, req, { id }) =>
  updateMonitor(p, id!, await readJson(req, updateMonitorBodySchema)),
);

export const DELETE = teamRoute("resource.write", async (p, _req, { id }) => deleteMonitor(p, id!));
