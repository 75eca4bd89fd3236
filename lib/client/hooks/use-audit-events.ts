import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { auditEventSchema } from "@/lib/schemas/audit";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** Newest first; only for members allowed "audit.read". */
export function useAuditEvents({ limit = 200, enabled = true } = {}) {
  return useQuery({
    queryKey: [...queryKeys.auditEvents, limit],
    queryFn: () => apiFetch(`/api/v1/audit-events?limit=${limit}`, z.array(auditEventSchema)),
    enabled,
  });
}
