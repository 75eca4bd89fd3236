import { teamRoute } from "@/lib/server/http";
import { listAuditEvents } from "@/lib/server/audit";

export const GET = teamRoute("audit.read", async (p, req) =>
  listAuditEvents(p, Number(new URL(req.url).searchParams.get("limit") ?? 200) || 200),
);
