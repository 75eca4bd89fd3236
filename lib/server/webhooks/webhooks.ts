/**
 * Outgoing webhooks for model lifecycle events. `notify` writes one WebhookDelivery row per
 * subscribed webhook (pass the transaction of the state change, so an event is never lost or
 * invented); `deliverPendingWebhooks`, run by a worker on a schedule, sends them.
 *
 * Signing (Stripe-style, so receivers can verify the sender and reject replays). Each POST has:
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
 * once, when the webhook is created, and stored encrypted as the team secret `webhook-<id>`.
 *
 * Retries: a non-2xx answer, a redirect (never followed), a timeout or a network error counts as
 * a failed try; a delivery is tried at most 5 times, due at createdAt + base·(2^attempts − 1)
 * (base 1 min: after 1, 3, 7 and 15 minutes), then FAILED with the last status and error kept.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
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
import type { Prisma } from "@/lib/server/generated/prisma/client";
import type { Principal } from "@/lib/server/core/principal";
import { readSecret, removeSecret, storeSecret } from "@/lib/server/core/secrets";

export const WEBHOOK_MAX_ATTEMPTS = 5;
export const WEBHOOK_RETRY_BASE_MS = 60_000;
const SEND_TIMEOUT_MS = 10_000;
const SEND_CONCURRENCY = 8;
/** Receivers should refuse signatures older (or newer) than this. */
export const SIGNATURE_TOLERANCE_S = 300;

const secretNameFor = (webhookId: string) => `webhook-${webhookId}`;

type Row = { id: string; url: string; events: string[]; active: boolean; createdAt: Date };
const toWebhook = (r: Row): Webhook => ({
  id: r.id,
  url: r.url,
  events: r.events as WebhookEvent[],
  active: r.active,
  createdAt: r.createdAt.toISOString(),
});

/** `sha256=<hex>` over `<timestamp>.<body>`. */
export function signPayload(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * What a receiver does: true when `header` carries a valid signature of `body` at `timestamp`
 * under `secret`, and the timestamp is within `toleranceS` of now. The header may list several
 * signatures separated by commas (for secret rotation); any one valid is enough.
 */
export function verifySignature(
  secret: string,
  timestamp: string | number,
  body: string,
  header: string | null | undefined,
  opts: { toleranceS?: number; nowMs?: number } = {},
): boolean {
  if (!header) return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return false;
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > (opts.toleranceS ?? SIGNATURE_TOLERANCE_S)) return false;
  const expected = Buffer.from(signPayload(secret, ts, body));
  return header
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((candidate) => {
      const got = Buffer.from(candidate);
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
}

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

type Due = {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
  url: string;
  secretName: string;
  teamId: string;
};

type TryResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function send(d: Due, secret: string): Promise<TryResult> {
  const body = JSON.stringify(d.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "retune-webhooks/1",
        "x-retune-event": d.event,
        "x-retune-delivery": d.id,
        "x-retune-timestamp": String(timestamp),
        "x-retune-signature": signPayload(secret, timestamp, body),
      },
      body,
      // A redirect could move a signed payload to a host the team never configured.
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const text = (await res.text().catch(() => "")).replace(/\s+/g, " ").trim().slice(0, 300);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const why =
      res.status >= 300 && res.status < 400
        ? `redirect to ${res.headers.get("location") ?? "(no location)"} not followed`
        : `HTTP ${res.status}${text ? `: ${text}` : ""}`;
    return { ok: false, status: res.status, error: why };
  } catch (e) {
    const err = e as Error & { cause?: { message?: string } };
    const why =
      err.name === "TimeoutError"
        ? `no answer within ${SEND_TIMEOUT_MS / 1000} s`
        : `${err.message}${err.cause?.message ? `: ${err.cause.message}` : ""}`;
    return { ok: false, status: null, error: why };
  }
}

/**
 * Sends up to `limit` due deliveries, oldest first; returns how many were tried. Safe to run
 * from several workers at once: each due row is locked (FOR UPDATE SKIP LOCKED) for the length
 * of its send, so no two workers send the same delivery, and a worker that dies mid-send
 * leaves its rows PENDING for the next one. `now` is for tests (to make retries due).
 */
export async function deliverPendingWebhooks(
  limit = 20,
  /** `teamId` limits a sweep to one team (tests sharing a database; a per-team retry button). */
  opts: { now?: Date; teamId?: string } = {},
): Promise<{ tried: number; delivered: number; failed: number }> {
  const teamId = opts.teamId ?? null;
  const now = (opts.now ?? new Date()).toISOString();
  const waves = Math.ceil(Math.max(1, limit) / SEND_CONCURRENCY);
  return db().$transaction(
    async (tx) => {
      // Timestamps are stored as UTC without a zone: compare against UTC without a zone.
      const due = await tx.$queryRaw<Due[]>`
        SELECT d.id, d.event, d.payload, d.attempts, w.url, w."secretName", w."teamId"
        FROM "WebhookDelivery" d JOIN "Webhook" w ON w.id = d."webhookId"
        WHERE d.status = 'PENDING' AND w.active
          AND (${teamId}::text IS NULL OR w."teamId" = ${teamId}::text)
          AND d."createdAt" + make_interval(secs => ${WEBHOOK_RETRY_BASE_MS / 1000}::float8 * (power(2, d.attempts) - 1))
              <= (${now}::timestamptz AT TIME ZONE 'UTC')
        ORDER BY d."createdAt"
        LIMIT ${Math.max(1, limit)}
        FOR UPDATE OF d SKIP LOCKED`;
      const secrets = new Map<string, Promise<string>>();
      const secretOf = (d: Due) => {
        const key = `${d.teamId}\u0000${d.secretName}`;
        if (!secrets.has(key)) secrets.set(key, readSecret(d.teamId, d.secretName));
        return secrets.get(key)!;
      };
      const results = new Array<TryResult>(due.length);
      let next = 0;
      async function lane() {
        for (let i = next++; i < due.length; i = next++) {
          const d = due[i]!;
          try {
            results[i] = await send(d, await secretOf(d));
          } catch (e) {
            // Never send unsigned: a missing or unreadable secret is a failed try.
            results[i] = { ok: false, status: null, error: (e as Error).message };
          }
        }
      }
      await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, due.length) }, lane));

      // One connection holds the locks: its writes go one after another.
      let delivered = 0;
      let failed = 0;
      for (const [i, d] of due.entries()) {
        const result = results[i]!;
        const attempts = d.attempts + 1;
        if (result.ok) {
          delivered++;
          await tx.webhookDelivery.update({
            where: { id: d.id },
            data: {
              status: "DELIVERED",
              attempts,
              lastStatus: result.status,
              lastError: null,
              deliveredAt: new Date(),
            },
          });
        } else {
          const final = attempts >= WEBHOOK_MAX_ATTEMPTS;
          if (final) failed++;
          await tx.webhookDelivery.update({
            where: { id: d.id },
            data: {
              status: final ? "FAILED" : "PENDING",
              attempts,
              lastStatus: result.status,
              lastError: result.error.slice(0, 500),
            },
          });
        }
      }
      return { tried: due.length, delivered, failed };
    },
    { maxWait: 10_000, timeout: waves * (SEND_TIMEOUT_MS + 2_000) + 10_000 },
  );
}
