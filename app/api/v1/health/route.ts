import { health } from "@/lib/server/core/health";
import { json, publicRoute } from "@/lib/server/core/http";

/** No auth: load balancers and the status page read it. */
export const GET = publicRoute(async () => {
  const h = await health();
  return json(h, h.status === "ok" ? 200 : 503);
});
