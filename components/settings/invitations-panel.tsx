"use client";

import type { Invitation } from "@/lib/schemas/invitations";
import { useInvitations, useRevokeInvitation } from "@/lib/client/hooks/use-invitations";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";

function StatusBadge({ invitation }: { invitation: Invitation }) {
  if (invitation.expired) return <Badge tone="danger">Expired</Badge>;
  return <Badge tone="warning">Pending</Badge>;
}

const pendingOf = (list: readonly Invitation[]) => list.filter((i) => i.status === "PENDING");

/** Pending invitations (accepted and revoked ones are in the audit log); admins and owners only. */
export function InvitationsPanel() {
  const active = useActiveTeam();
  const allowed = active?.can("invitation.manage") ?? false;
  const invitations = useInvitations({ enabled: allowed });
  const revoke = useRevokeInvitation();
  if (!active || !allowed) return null;

  return (
    <Card>
      <CardHeader
        title="Pending invitations"
        description="Links that have not been used yet. Revoke one to make its link stop working."
      />
      <QueryView
        query={invitations}
        loading="Loading invitations…"
        rows={2}
        errorTitle="Could not load invitations"
        isEmpty={(all) => pendingOf(all).length === 0}
        empty={
          <EmptyState
            title="No pending invitations"
            description="Invite someone with “Invite member”; their link shows up here until it is used."
          />
        }
      >
        {(all) => (
          <Table caption="Pending invitations">
            <THead>
              <Tr>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Status</Th>
                <Th>Created</Th>
                <Th>Expires</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {pendingOf(all).map((inv) => (
                <Tr key={inv.id}>
                  <Td>{inv.email}</Td>
                  <Td>
                    <Badge>{inv.role}</Badge>
                  </Td>
                  <Td>
                    <StatusBadge invitation={inv} />
                  </Td>
                  <Td>
                    <TimeStamp iso={inv.createdAt} />
                  </Td>
                  <Td>
                    <TimeStamp iso={inv.expiresAt} />
                  </Td>
                  <Td align="right">
                    <ConfirmDialog
                      trigger={
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Revoke invitation for ${inv.email}`}
                        >
                          Revoke
                        </Button>
                      }
                      title={`Revoke the invitation for ${inv.email}?`}
                      description="The link stops working at once. You can invite them again later."
                      confirmLabel="Revoke invitation"
                      onConfirm={() => revoke.mutateAsync(inv.id)}
                    />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
