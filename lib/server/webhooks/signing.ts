/**
 * Webhook signatures (Stripe-style, so receivers can verify the sender and reject replays):
 * `x-retune-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. See
 * webhooks.ts for the headers of a delivery.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Receivers should refuse signatures older (or newer) than this. */
export const SIGNATURE_TOLERANCE_S = 300;

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
