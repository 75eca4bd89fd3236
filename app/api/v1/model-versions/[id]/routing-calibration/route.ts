import { routingCalibrationBodySchema } from "@/lib/schemas/routing-calibration";
import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { calibrateRouting, getRoutingCalibration } from "@/lib/server/registry/routing-calibration";

/** The version's newest routing calibration: `{ calibration: … | null }`. */
export const GET = teamRoute("team.read", async (p, _req, { id }) => getRoutingCalibration(p, id!));

/** Calibrates the escalation rule on a candidate run and a frontier run of the same suite. */
export const POST = teamRoute("resource.write", async (p, req, { id }) =>
  created(await calibrateRouting(p, id!, await readJson(req, routingCalibrationBodySchema))),
);
