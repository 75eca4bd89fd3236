/**
 * Outgoing webhooks for model lifecycle events. `notify` writes one WebhookDelivery row per
 * subscribed webhook (pass the transaction of the state change, so an event is never lost or
 * invented); `deliverPendingWebhooks` (delivery.ts), run by a worker on a schedule, sends them:
 * claim, send outside any transaction, record.
 *
 * Signing (Stripe-style, so receivers can verify the sender and reject replays; signing.ts).
 * Each POST has:
 *
 *   content-type:        application/json
 *   x-retune-event:      <event kind>, e.g. gate_failed
 *   x-retune-delivery:   <delivery id>; the same on every retry of one delivery, so receivers
 *                        can drop duplicates (delivery is at least once)
 *   x-retune-timestamp:  <unix seconds when this try was sent>
 *   x-retune-signature:  sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * A receiver recomputes the HMAC over the timestamp header, a ".", and the raw body bytes as
 * received (before any JSON parsing), compares it in constant time, and rejects timestamps more
 * than a few minutes from its clock (`verifySignature` does exactly that). The secret is shown
 * once, when the webhook is created, and stored encrypted as the team secret `webhook-<id>`
 * (it has no allowed origins, so it is never sent as an endpoint's API key).
 *
 * A URL whose host is, or resolves to, a loopback, private or link-local address is refused
 * when saved (422) and again at connect time (core/outbound.ts), unless RETUNE_OUTBOUND_ALLOW
 * admits it.
 */
import { randomBytes } from "node:crypto";
import { buildWebhookPayload, type NotificationEvent } from "@/lib/domain/notifications";
import {
  type CreatedWebhook,
  type CreateWebhookBody,
  type Webhook,
  type WebhookDelivery,
  webhookDeliveryStatusSchema,
  type WebhookEvent,
  webhookUrlSchema,
} from "@/lib/schemas/webhooks";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Tx } from "@/lib/server/core/db";
import { badRequest, notFound } from "@/lib/server/core/errors";
import { checkOutboundUrl } from "@/lib/server/core/outbound";
import type { Prisma } from "@/lib/server/generated/prisma/client";
import type { Principal } from "@/lib/server/core/principal";
import { removeSecret, storeSecret } from "@/lib/server/core/secrets";

export { deliverPendingWebhooks, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_BASE_MS } from "./delivery";
export { SIGNATURE_TOLERANCE_S, signPayload, verifySignature } from "./signing";

const secretNameFor = (webhookId: string) => `webhook-${webhookId}`;

type Row = { id: string; url: string; events: string[]; active: boolean; createdAt: Date };
const toWebhook = (r: Row): Webhook => ({
  id: r.id,
  url: r.url,
  events: r.events as WebhookEvent[],
  active: r.active,
  createdAt: r.createdAt.toISOString(),
});

function checkUrl(url: string): void {
  const parsed = webhookUrlSchema.safeParse(url);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "invalid URL";
    throw badRequest(`url: ${message}`, [{ path: "url", message }]);
  }
}

/** Creates a webhook; its signing secret is in the response and nowhere else, ever again. */
export async function createWebhook(
  p: Principal,
  body: CreateWebhookBody,
): Promise<CreatedWebhook> {
  authorize(p, "team.update");
  checkUrl(body.url);
  await checkOutboundUrl(body.url, "url");
  const events = [...new Set(body.events)];
  if (events.length === 0) throw badRequest('events: choose at least one event, or "*"');
  const secret = body.secret ?? `whsec_${randomBytes(32).toString("base64url")}`;
  const row = await db().$transaction(async (tx) => {
    const created = await tx.webhook.create({
      data: { teamId: p.teamId, url: body.url, events, secretName: "" },
    });
    const secretName = secretNameFor(created.id);
    const r = await tx.webhook.update({ where: { id: created.id }, data: { secretName } });
    await storeSecret(p.teamId, secretName, secret, tx);
    await recordAudit(
      {
        ...actorOf(p),
        action: "webhook.create",
        targetType: "webhook",
        targetId: r.id,
        // The host only: a Slack-style URL carries its token in the path.
        metadata: { host: new URL(body.url).host, events: events.join(",") },
      },
      tx,
    );
    return r;
  });
  return { ...toWebhook(row), secret };
}

export async function listWebhooks(p: Principal): Promise<Webhook[]> {
  authorize(p, "team.update");
  const rows = await db().webhook.findMany({
    where: { teamId: p.teamId },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toWebhook);
}

export async function deleteWebhook(p: Principal, id: string): Promise<{ deleted: string }> {
  authorize(p, "team.update");
  const found = await db().webhook.findFirst({ where: { id, teamId: p.teamId } });
  if (!found) throw notFound("webhook", id);
  await db().$transaction(async (tx) => {
    // Deliveries go with it (ON DELETE CASCADE): nothing is sent for a deleted webhook.
    await tx.webhook.delete({ where: { id } });
    await removeSecret(p.teamId, found.secretName, tx);
    await recordAudit(
      {
        ...actorOf(p),
        action: "webhook.delete",
        targetType: "webhook",
        targetId: id,
        metadata: { host: new URL(found.url).host },
      },
      tx,
    );
  });
  return { deleted: id };
}

/** A webhook's deliveries, newest first. */
export async function listWebhookDeliveries(
  p: Principal,
  webhookId: string,
  limit = 100,
): Promise<WebhookDelivery[]> {
  authorize(p, "team.update");
  const found = await db().webhook.findFirst({
    where: { id: webhookId, teamId: p.teamId },
    select: { id: true },
  });
  if (!found) throw notFound("webhook", webhookId);
  const rows = await db().webhookDelivery.findMany({
    where: { webhookId },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(limit, 1), 500),
  });
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    status: webhookDeliveryStatusSchema.catch("PENDING").parse(r.status),
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    payload: r.payload,
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
  }));
}

/**
 * Queues `event` for every active webhook of the team subscribed to its kind (or to "*").
 * Pass the transaction of the state change that caused it. Returns the number queued.
 */
export async function notify(teamId: string, event: NotificationEvent, tx?: Tx): Promise<number> {
  const client = tx ?? db();
  const hooks = await client.webhook.findMany({
    where: { teamId, active: true, events: { hasSome: [event.kind, "*"] } },
    select: { id: true },
  });
  if (hooks.length === 0) return 0;
  const payload = buildWebhookPayload(event) as unknown as Prisma.InputJsonValue;
  const { count } = await client.webhookDelivery.createMany({
    data: hooks.map((h) => ({ webhookId: h.id, event: event.kind, payload })),
  });
  return count;
}
