import { teamRoute } from "@/lib/server/core/http";
import { listAuditEvents } from "@/lib/server/teams/audit-log";

export const GET = teamRoute("audit.read", async (p, req) =>
  listAuditEvents(p, Number(new URL(req.url).searchParams.get("limit") ?? 200) || 200),
);
