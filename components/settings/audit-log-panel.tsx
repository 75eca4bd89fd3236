"use client";

import { useAuditEvents } from "@/lib/client/hooks/use-audit-events";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { QueryView } from "@/components/ui/query-view";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { AuditTarget } from "./audit-target";

const LIMIT = 200;

function details(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

export function AuditLogPanel() {
  const active = useActiveTeam();
  const allowed = active?.can("audit.read") ?? false;
  const events = useAuditEvents({ limit: LIMIT, enabled: allowed });
  if (!active) return <LoadingState label="Loading audit log…" rows={5} />;
  if (!allowed) {
    return (
      <Notice>
        The audit log is visible to admins and owners. Your role in {active.team.name} is{" "}
        <strong>{active.team.role}</strong>.
      </Notice>
    );
  }

  return (
    <Card>
      <CardHeader
        title="Audit log"
        description={`Sensitive actions in this team and its members' sign-ins, newest first (last ${LIMIT}).`}
      />
      <QueryView
        query={events}
        loading="Loading audit log…"
        rows={5}
        errorTitle="Could not load the audit log"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            title="No events yet"
            description="Sign-ins, invitations, role changes and API key changes are recorded here."
          />
        }
      >
        {(list) => (
          <Table caption="Audit events">
            <THead>
              <Tr>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th>Details</Th>
                <Th>IP</Th>
              </Tr>
            </THead>
            <TBody>
              {list.map((e) => (
                <Tr key={e.id}>
                  <Td className="nowrap">
                    <TimeStamp iso={e.createdAt} />
                  </Td>
                  <Td className="nowrap">{e.actor ?? <span className="muted">system</span>}</Td>
                  <Td className="mono">{e.action}</Td>
                  <Td>
                    <AuditTarget event={e} />
                  </Td>
                  <Td className="mono small">{details(e.metadata) || "—"}</Td>
                  <Td className="mono muted">{e.ip ?? "—"}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
