"use client";

import { ACTIONS, type Action } from "@/lib/domain/permissions";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";
import { LoadingState } from "@/components/ui/loading-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { ACTION_LABEL, ROLE_SUMMARY } from "./role-text";
import { TelemetryRetentionCard } from "./telemetry-retention-card";

export function TeamOverview() {
  const active = useActiveTeam();
  if (!active) return <LoadingState label="Loading team…" rows={3} />;
  const { team, can } = active;

  return (
    <div className="stack-lg">
      <Card>
        <CardHeader title="Team" />
        <CardBody>
          <dl className="details">
            <dt>Name</dt>
            <dd>{team.name}</dd>
            <dt>Slug</dt>
            <dd className="mono">{team.slug}</dd>
            <dt>Your role</dt>
            <dd>
              <Badge tone="info">{team.role}</Badge>{" "}
              <span className="muted">{ROLE_SUMMARY[team.role]}</span>
            </dd>
            <dt>Created</dt>
            <dd>
              <TimeStamp iso={team.createdAt} />
            </dd>
          </dl>
          <CopyField
            label="Team ID"
            value={team.id}
            hint="Signed-in API clients pick this team with the x-retune-team header; API keys always act in their own team."
          />
        </CardBody>
      </Card>
      <TelemetryRetentionCard />
      <Card>
        <CardHeader
          title="What your role can do"
          description="The server checks every request against the same rules."
        />
        <Table caption={`Permissions of the ${team.role} role`}>
          <THead>
            <Tr>
              <Th>Action</Th>
              <Th>Allowed</Th>
            </Tr>
          </THead>
          <TBody>
            {(Object.keys(ACTIONS) as Action[]).map((action) => (
              <Tr key={action}>
                <Td>{ACTION_LABEL[action]}</Td>
                <Td>{can(action) ? <Badge tone="success">Yes</Badge> : <Badge>No</Badge>}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </div>
  );
}
