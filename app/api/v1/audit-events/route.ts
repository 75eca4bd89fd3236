import { teamRoute } from "@/lib/server/core/http";
import { listAuditEvents } from "@/lib/server/teams/audit-log";
import { auditEventsQuerySchema } from "@/lib/schemas/audit";

export const GET = teamRoute("audit.read", async (p, req) =>
  listAuditEvents(
    p,
    auditEventsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)).limit,
  ),
);
