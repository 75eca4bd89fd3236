import Link from "next/link";
import type { AuditEvent } from "@/lib/schemas/audit";
import { auditTargetHref } from "@/lib/client/audit-links";

/**
 * An audit event's target as a person reads it: what it is called, linked to its page; the id
 * only as a tooltip, or as the text when the target is gone.
 */
export function AuditTarget({ event: e }: { event: AuditEvent }) {
  if (!e.targetType) return <span className="muted">—</span>;
  const href = auditTargetHref(e);
  const title = `${e.targetType} ${e.targetId ?? ""}`.trim();
  return (
    <span className="truncate" title={title}>
      <span className="muted">{e.targetType}</span>{" "}
      {e.targetLabel === null ? (
        <span className="mono muted">{e.targetId}</span>
      ) : href ? (
        <Link href={href}>{e.targetLabel}</Link>
      ) : (
        e.targetLabel
      )}
    </span>
  );
}
