"use client";

import { Fragment, useState } from "react";
import type { Webhook, WebhookDelivery } from "@/lib/schemas/webhooks";
import type { BadgeTone } from "@/lib/client/badge-tone";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { useDeleteWebhook, useWebhookDeliveries, useWebhooks } from "@/lib/client/hooks/webhooks";
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
import { CreateWebhookDialog, EVENT_LABEL } from "./webhooks-create-dialog";

const DELIVERY_TONE: Record<WebhookDelivery["status"], BadgeTone> = {
  PENDING: "neutral",
  DELIVERED: "success",
  FAILED: "danger",
};

function Deliveries({ webhook }: { webhook: Webhook }) {
  const deliveries = useWebhookDeliveries(webhook.id);
  return (
    <QueryView
      query={deliveries}
      loading="Loading deliveries…"
      rows={2}
      errorTitle="Could not load deliveries"
      isEmpty={(list) => list.length === 0}
      empty={
        <p className="muted small">No deliveries yet: nothing it subscribes to has happened.</p>
      }
    >
      {(list) => (
        <Table caption={`Recent deliveries to ${webhook.url}`}>
          <THead>
            <Tr>
              <Th>Event</Th>
              <Th>Status</Th>
              <Th align="right">Attempts</Th>
              <Th>Last response</Th>
              <Th>Created</Th>
            </Tr>
          </THead>
          <TBody>
            {list.map((d) => (
              <Tr key={d.id}>
                <Td className="mono">{d.event}</Td>
                <Td>
                  <Badge tone={DELIVERY_TONE[d.status]}>{d.status.toLowerCase()}</Badge>
                </Td>
                <Td align="right">{d.attempts}</Td>
                <Td>
                  {d.lastStatus !== null && <span className="mono">HTTP {d.lastStatus}</span>}
                  {d.lastError && <span className="cell-sub text-danger">{d.lastError}</span>}
                  {d.lastStatus === null && !d.lastError && <span className="muted">—</span>}
                </Td>
                <Td className="nowrap">
                  <TimeStamp iso={d.createdAt} format="relative" />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </QueryView>
  );
}

function WebhookRow({ webhook }: { webhook: Webhook }) {
  const remove = useDeleteWebhook();
  const [open, setOpen] = useState(false);
  return (
    <Fragment>
      <Tr>
        <Td className="mono truncate-wide" title={webhook.url}>
          {webhook.url}
        </Td>
        <Td>
          <span className="badge-list">
            {webhook.events.map((e) => (
              <Badge key={e} title={EVENT_LABEL[e]}>
                {e === "*" ? "all events" : e}
              </Badge>
            ))}
          </span>
        </Td>
        <Td>{webhook.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</Td>
        <Td className="nowrap">
          <TimeStamp iso={webhook.createdAt} />
        </Td>
        <Td align="right" className="nowrap">
          <Button
            size="sm"
            variant="ghost"
            aria-expanded={open}
            aria-label={`${open ? "Hide" : "Show"} deliveries to ${webhook.url}`}
            onClick={() => setOpen((o) => !o)}
          >
            Deliveries
          </Button>
          <ConfirmDialog
            trigger={
              <Button size="sm" variant="ghost" aria-label={`Delete webhook ${webhook.url}`}>
                Delete
              </Button>
            }
            title="Delete this webhook?"
            description={`${webhook.url} stops receiving events. Pending deliveries are dropped.`}
            confirmLabel="Delete webhook"
            onConfirm={() => remove.mutateAsync(webhook.id)}
          />
        </Td>
      </Tr>
      {open && (
        <Tr className="case-expanded">
          <Td colSpan={5}>
            <Deliveries webhook={webhook} />
          </Td>
        </Tr>
      )}
    </Fragment>
  );
}

/** Outgoing webhooks for lifecycle events; admins and owners manage them. */
export function WebhooksPanel() {
  const active = useActiveTeam();
  const allowed = active?.can("team.update") ?? false;
  const hooks = useWebhooks({ enabled: allowed });
  if (!active) return <LoadingState label="Loading webhooks…" rows={3} />;
  if (!allowed)
    return (
      <Notice>
        Webhooks are managed by admins and owners. Your role in {active.team.name} is{" "}
        <strong>{active.team.role}</strong>.
      </Notice>
    );
  return (
    <Card>
      <CardHeader
        title="Webhooks"
        description="Gate results, approvals, promotions, drift and training outcomes, posted to Slack or any HTTPS receiver."
        actions={<CreateWebhookDialog />}
      />
      <QueryView
        query={hooks}
        loading="Loading webhooks…"
        rows={3}
        errorTitle="Could not load webhooks"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            title="No webhooks yet"
            description="Add one to hear about gate failures, approvals waiting and promotions in Slack."
          />
        }
      >
        {(list) => (
          <Table caption="Webhooks">
            <THead>
              <Tr>
                <Th>URL</Th>
                <Th>Events</Th>
                <Th>Status</Th>
                <Th>Created</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {list.map((w) => (
                <WebhookRow key={w.id} webhook={w} />
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
