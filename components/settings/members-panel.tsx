"use client";

import { assignableRoles, type Role } from "@/lib/domain/permissions";
import type { Member } from "@/lib/schemas/members";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { useChangeMemberRole, useMembers, useRemoveMember } from "@/lib/client/hooks/use-members";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { QueryView } from "@/components/ui/query-view";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { InviteMemberDialog } from "./invite-member-dialog";

type RowPolicy = { canEditRole: boolean; canRemove: boolean; roles: Role[] };

/** Mirrors lib/server/teams/members.ts: nobody changes themselves or hands out more than they hold. */
function rowPolicy(member: Member, myUserId: string, myRole: Role, canManage: boolean): RowPolicy {
  const roles = assignableRoles(myRole);
  const isMe = member.userId === myUserId;
  const outranked = member.role === "OWNER" && myRole !== "OWNER";
  const editable = canManage && !isMe && !outranked;
  return { canEditRole: editable, canRemove: editable, roles };
}

export function MembersPanel() {
  const active = useActiveTeam();
  const members = useMembers();
  const changeRole = useChangeMemberRole();
  const remove = useRemoveMember();
  if (!active) return <LoadingState label="Loading members…" rows={3} />;
  const canManage = active.can("member.manage");

  return (
    <Card>
      <CardHeader
        title="Members"
        description={
          canManage
            ? "Change a member's role or remove them. A team always keeps at least one owner."
            : "People in this team. Admins and owners manage roles."
        }
        actions={active.can("invitation.manage") ? <InviteMemberDialog /> : undefined}
      />
      {changeRole.error && (
        <ErrorState title="Could not change the role" error={changeRole.error} />
      )}
      <QueryView
        query={members}
        loading="Loading members…"
        rows={3}
        errorTitle="Could not load members"
        isEmpty={(list) => list.length === 0}
        empty={<EmptyState title="No members" description="This team has no members." />}
      >
        {(list) => (
          <Table caption="Team members">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Joined</Th>
                {canManage && (
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                )}
              </Tr>
            </THead>
            <TBody>
              {list.map((m) => {
                const policy = rowPolicy(m, active.me.user.id, active.team.role, canManage);
                const options = [...new Set<Role>([m.role, ...policy.roles])].map((r) => ({
                  value: r,
                  label: r,
                }));
                const changing = changeRole.isPending && changeRole.variables?.id === m.id;
                return (
                  <Tr key={m.id}>
                    <Td>
                      {m.name}
                      {m.userId === active.me.user.id && <span className="muted"> (you)</span>}
                    </Td>
                    <Td>{m.email}</Td>
                    <Td>
                      {policy.canEditRole ? (
                        <Select
                          aria-label={`Role for ${m.email}`}
                          // Show the requested role while the change is in flight.
                          value={changing ? changeRole.variables.role : m.role}
                          options={options}
                          disabled={changing}
                          onChange={(e) =>
                            changeRole.mutate({ id: m.id, role: e.target.value as Role })
                          }
                        />
                      ) : (
                        <Badge>{m.role}</Badge>
                      )}
                    </Td>
                    <Td>
                      <TimeStamp iso={m.createdAt} />
                    </Td>
                    {canManage && (
                      <Td align="right">
                        {policy.canRemove && (
                          <ConfirmDialog
                            trigger={
                              <Button size="sm" variant="ghost" aria-label={`Remove ${m.email}`}>
                                Remove
                              </Button>
                            }
                            title={`Remove ${m.name || m.email}?`}
                            description={`${m.email} loses access to ${active.team.name} at once. API keys they created keep working until revoked.`}
                            confirmLabel="Remove member"
                            onConfirm={() => remove.mutateAsync(m.id)}
                          />
                        )}
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
