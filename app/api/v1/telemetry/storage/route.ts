import { teamRoute } from "@/lib/server/core/http";
import { telemetryStorage } from "@/lib/server/telemetry/storage";

/** Rows, bytes and oldest day of telemetry events, rollups and traces (the status page). */
export const GET = teamRoute("team.read", async (p) => telemetryStorage(p));
