"use client";

import type { ApiKey } from "@/lib/schemas/api-keys";
import { useApiKeys, useRevokeApiKey } from "@/lib/client/hooks/use-api-keys";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { QueryView } from "@/components/ui/query-view";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { CreateApiKeyDialog } from "./create-api-key-dialog";

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: () => Promise<unknown> }) {
  const revoked = apiKey.revokedAt !== null;
  return (
    <Tr className={revoked ? "row-muted" : undefined}>
      <Td>{apiKey.name}</Td>
      <Td className="mono">{apiKey.prefix}…</Td>
      <Td>
        <span className="badge-list">
          {apiKey.scopes.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </span>
      </Td>
      <Td>
        <TimeStamp iso={apiKey.createdAt} />
      </Td>
      <Td>
        {apiKey.lastUsedAt ? (
          <TimeStamp iso={apiKey.lastUsedAt} format="relative" />
        ) : (
          <span className="muted">Never</span>
        )}
      </Td>
      <Td>
        {apiKey.revokedAt ? (
          <Badge tone="danger">
            Revoked <TimeStamp iso={apiKey.revokedAt} />
          </Badge>
        ) : (
          <Badge tone="success">Active</Badge>
        )}
      </Td>
      <Td align="right">
        {!revoked && (
          <ConfirmDialog
            trigger={
              <Button size="sm" variant="ghost" aria-label={`Revoke ${apiKey.name}`}>
                Revoke
              </Button>
            }
            title={`Revoke “${apiKey.name}”?`}
            description={`Requests with ${apiKey.prefix}… fail with 401 from now on. This cannot be undone.`}
            confirmLabel="Revoke key"
            onConfirm={onRevoke}
          />
        )}
      </Td>
    </Tr>
  );
}

/** Admins and owners only: everyone else gets an explanation instead of controls. */
export function ApiKeysPanel() {
  const active = useActiveTeam();
  const allowed = active?.can("api-key.manage") ?? false;
  const keys = useApiKeys({ enabled: allowed });
  const revoke = useRevokeApiKey();
  if (!active) return <LoadingState label="Loading API keys…" rows={3} />;
  if (!allowed) {
    return (
      <Notice>
        API keys are managed by admins and owners. Your role in {active.team.name} is{" "}
        <strong>{active.team.role}</strong>; ask an admin if you need a key.
      </Notice>
    );
  }

  return (
    <Card>
      <CardHeader
        title="API keys"
        description="Keys act for this team from scripts, CI and production. Send one as Authorization: Bearer <key>."
        actions={<CreateApiKeyDialog />}
      />
      <QueryView
        query={keys}
        loading="Loading API keys…"
        rows={3}
        errorTitle="Could not load API keys"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            title="No API keys yet"
            description="Create one for the CLI, CI or to post production telemetry. Each key is shown once."
          />
        }
      >
        {(list) => (
          <Table caption="API keys">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Prefix</Th>
                <Th>Scopes</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Status</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {list.map((k) => (
                <KeyRow key={k.id} apiKey={k} onRevoke={() => revoke.mutateAsync(k.id)} />
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
