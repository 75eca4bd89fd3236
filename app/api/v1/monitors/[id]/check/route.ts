import { teamRoute } from "@/lib/server/core/http";
import { checkMonitor } from "@/lib/server/retraining/monitor-checks";

/** Runs the check now and stores it: `{ value, samples, breached, retrainJobId?, check }`. */
export const POST = teamRoute("resource.write", async (p, _req, { id }) => checkMonitor(p, id!));
