import { healthFor } from "@/lib/server/core/health";
import { json, publicRoute } from "@/lib/server/core/http";

/**
 * No auth needed: load balancers read the status (503 when degraded); the status page, signed
 * in, gets the details (queues, workers, errors).
 */
export const GET = publicRoute(async (req) => {
  const h = await healthFor(req.headers);
  return json(h, h.status === "ok" ? 200 : 503);
});
