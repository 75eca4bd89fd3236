/**
 * Sending webhook deliveries: claim, send, record — no database connection is held while a
 * receiver answers (or does not). docs/architecture.md, "Outbound requests".
 *
 * 1. Claim (one short statement): due PENDING rows are leased to this sender
 *    (`claimedUntil`, a random `claimToken`; FOR UPDATE SKIP LOCKED, so concurrent senders take
 *    different rows) and their `attempts` counted up, so a try that never reports back still
 *    counts towards the limit.
 * 2. Send outside any transaction, through core/outbound.ts (internal addresses refused at
 *    connect time, redirects never followed), each with a timeout.
 * 3. Record each outcome in one short write, only while the lease is still this sender's.
 *
 * A sender that dies between 1 and 3 leaves its rows leased; once `claimedUntil` passes they are
 * due again (the next try waits its backoff like any failed try), and a row whose last try was
 * lost that way is FAILED with that reason. Delivery is at least once: receivers drop duplicates
 * by `x-retune-delivery`.
 *
 * Retries: a non-2xx answer, a redirect, a refused address, a timeout or a network error counts as
 * a failed try; a delivery is tried at most 5 times, due at createdAt + base·(2^attempts − 1)
 * (base 1 min: after 1, 3, 7 and 15 minutes), then FAILED with the last status and error kept.
 */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/server/core/db";
import { outboundFetch, refusalIn } from "@/lib/server/core/outbound";
import { responseSummary, summarizeText } from "@/lib/server/core/response-summary";
import { readSecret } from "@/lib/server/core/secrets";
import { signPayload } from "./signing";

export const WEBHOOK_MAX_ATTEMPTS = 5;
export const WEBHOOK_RETRY_BASE_MS = 60_000;
const SEND_TIMEOUT_MS = 10_000;
const SEND_CONCURRENCY = 8;

/** How long a claim lasts: every wave of sends timing out, plus a margin for the writes. */
export function leaseMs(limit: number): number {
  const waves = Math.ceil(Math.max(1, limit) / SEND_CONCURRENCY);
  return waves * (SEND_TIMEOUT_MS + 2_000) + 10_000;
}

/** A claimed delivery; `attempts` already counts this try. */
export type Claimed = {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
  url: string;
  secretName: string;
  teamId: string;
  claimToken: string;
};

type ClaimOpts = { now?: Date; teamId?: string };

/**
 * Leases up to `limit` due deliveries, oldest first, to the caller (exported for tests that play
 * a sender dying after its claim). One statement: no transaction outlives it.
 */
export async function claimDueDeliveries(limit: number, opts: ClaimOpts = {}): Promise<Claimed[]> {
  const teamId = opts.teamId ?? null;
  const now = (opts.now ?? new Date()).toISOString();
  const token = randomUUID();
  // Timestamps are stored as UTC without a zone: compare against UTC without a zone.
  return db().$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT d.id
      FROM "WebhookDelivery" d JOIN "Webhook" w ON w.id = d."webhookId"
      WHERE d.status = 'PENDING' AND w.active
        AND d.attempts < ${WEBHOOK_MAX_ATTEMPTS}
        AND (${teamId}::text IS NULL OR w."teamId" = ${teamId}::text)
        AND (d."claimedUntil" IS NULL OR d."claimedUntil" <= (${now}::timestamptz AT TIME ZONE 'UTC'))
        AND d."createdAt" + make_interval(secs => ${WEBHOOK_RETRY_BASE_MS / 1000}::float8 * (power(2, d.attempts) - 1))
            <= (${now}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY d."createdAt"
      LIMIT ${Math.max(1, limit)}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE "WebhookDelivery" d
    SET attempts = d.attempts + 1,
        "claimToken" = ${token},
        "claimedUntil" = (${now}::timestamptz AT TIME ZONE 'UTC') + make_interval(secs => ${leaseMs(limit) / 1000}::float8)
    FROM due, "Webhook" w
    WHERE d.id = due.id AND w.id = d."webhookId"
    RETURNING d.id, d.event, d.payload, d.attempts, w.url, w."secretName", w."teamId", d."claimToken"`;
}

/** Deliveries whose last try was claimed and never recorded (its sender died): FAILED, with why. */
async function failLostLastTries(opts: ClaimOpts): Promise<number> {
  const teamId = opts.teamId ?? null;
  const now = (opts.now ?? new Date()).toISOString();
  return db().$executeRaw`
    UPDATE "WebhookDelivery" d
    SET status = 'FAILED', "claimToken" = NULL, "claimedUntil" = NULL,
        "lastError" = 'the sender stopped before recording the outcome of the last try'
    FROM "Webhook" w
    WHERE w.id = d."webhookId" AND d.status = 'PENDING' AND d.attempts >= ${WEBHOOK_MAX_ATTEMPTS}
      AND d."claimedUntil" <= (${now}::timestamptz AT TIME ZONE 'UTC')
      AND (${teamId}::text IS NULL OR w."teamId" = ${teamId}::text)`;
}

/**
 * Deliveries of a webhook that was deactivated: the claim skips them (`w.active`), so they would
 * stay PENDING for ever (issue 14: every non-terminal row has a live job or ends terminal, with a
 * reason). FAILED, saying why, once no sender holds them (a try in flight records its own outcome).
 * A deleted webhook's deliveries go with it (ON DELETE CASCADE).
 */
async function failDeactivated(opts: ClaimOpts): Promise<number> {
  const teamId = opts.teamId ?? null;
  const now = (opts.now ?? new Date()).toISOString();
  return db().$executeRaw`
    UPDATE "WebhookDelivery" d
    SET status = 'FAILED', "claimToken" = NULL, "claimedUntil" = NULL,
        "lastError" = 'the webhook was deactivated before this delivery was sent'
    FROM "Webhook" w
    WHERE w.id = d."webhookId" AND d.status = 'PENDING' AND NOT w.active
      AND (d."claimedUntil" IS NULL OR d."claimedUntil" <= (${now}::timestamptz AT TIME ZONE 'UTC'))
      AND (${teamId}::text IS NULL OR w."teamId" = ${teamId}::text)`;
}

type TryResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function send(d: Claimed, secret: string): Promise<TryResult> {
  const body = JSON.stringify(d.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await outboundFetch(d.url, {
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
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => {});
      return { ok: true, status: res.status };
    }
    if (res.status >= 300 && res.status < 400) {
      // A redirect could move a signed payload to a host the team never configured.
      await res.body?.cancel().catch(() => {});
      const location = res.headers.get("location");
      const to = location ? summarizeText(location, [secret]) : "(no location)";
      return { ok: false, status: res.status, error: `redirect to ${to} not followed` };
    }
    return { ok: false, status: res.status, error: await responseSummary(res, [secret]) };
  } catch (e) {
    const refused = refusalIn(e);
    if (refused) return { ok: false, status: null, error: `refused: ${refused.message}` };
    const err = e as Error & { cause?: { message?: string } };
    const why =
      err.name === "TimeoutError"
        ? `no answer within ${SEND_TIMEOUT_MS / 1000} s`
        : `${err.message}${err.cause?.message ? `: ${err.cause.message}` : ""}`;
    return { ok: false, status: null, error: summarizeText(why, [secret]) };
  }
}

/** Writes one try's outcome, only while the claim is still ours; false when the lease was lost. */
async function record(d: Claimed, result: TryResult): Promise<boolean> {
  const final = !result.ok && d.attempts >= WEBHOOK_MAX_ATTEMPTS;
  const { count } = await db().webhookDelivery.updateMany({
    where: { id: d.id, claimToken: d.claimToken },
    data: {
      status: result.ok ? "DELIVERED" : final ? "FAILED" : "PENDING",
      lastStatus: result.status,
      lastError: result.ok ? null : result.error.slice(0, 500),
      ...(result.ok ? { deliveredAt: new Date() } : {}),
      claimToken: null,
      claimedUntil: null,
    },
  });
  return count > 0;
}

/**
 * Sends up to `limit` due deliveries, oldest first; returns how many were tried. Safe to run
 * from several workers at once (each delivery is claimed by one). `now` is for tests (to make
 * retries and expired claims due).
 */
export async function deliverPendingWebhooks(
  limit = 20,
  /** `teamId` limits a sweep to one team (tests sharing a database; a per-team retry button). */
  opts: ClaimOpts = {},
): Promise<{ tried: number; delivered: number; failed: number }> {
  await failLostLastTries(opts);
  await failDeactivated(opts);
  const due = await claimDueDeliveries(limit, opts);
  const secrets = new Map<string, Promise<string>>();
  const secretOf = (d: Claimed) => {
    const key = `${d.teamId}\u0000${d.secretName}`;
    if (!secrets.has(key)) secrets.set(key, readSecret(d.teamId, d.secretName));
    return secrets.get(key)!;
  };
  let next = 0;
  let delivered = 0;
  let failed = 0;
  async function lane() {
    for (let i = next++; i < due.length; i = next++) {
      const d = due[i]!;
      let result: TryResult;
      try {
        result = await send(d, await secretOf(d));
      } catch (e) {
        // Never send unsigned: a missing or unreadable secret is a failed try.
        result = { ok: false, status: null, error: (e as Error).message };
      }
      if (!(await record(d, result))) continue;
      if (result.ok) delivered++;
      else if (d.attempts >= WEBHOOK_MAX_ATTEMPTS) failed++;
    }
  }
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, due.length) }, lane));
  return { tried: due.length, delivered, failed };
}
