/**
 * Where a team secret may be sent. A secret used as an inference endpoint's API key goes only to
 * the origins an ADMIN listed for it (`TeamSecret.allowedOrigins`, set through PUT
 * /api/v1/secrets/{name}); a secret with none goes nowhere. Without this binding anyone who may
 * create an eval run (an ENGINEER, a write-scope API key) could point an endpoint target at a
 * listener of their own and receive the secret as a Bearer token.
 *
 * Checked twice: when the run is created (a 422 naming the secret and the origin) and by the
 * worker right before it reads the value to send it, so origins narrowed after the run was
 * created are honoured. Webhook signing secrets (`webhook-…`) share the store but never have
 * origins, and the secrets API cannot give them any: they are never sent as API keys.
 */
import { RESERVED_SECRET_PREFIX } from "@/lib/schemas/secrets";
import { db } from "./db";
import { HttpError } from "./errors";
import { decryptSecret } from "./secrets";

const howToAllow = (name: string, origin: string) =>
  `an ADMIN can allow it in Settings → Secrets or with PUT /api/v1/secrets/${name} ` +
  `{"allowedOrigins": ["${origin}"]}`;

/** Why `name` may not be sent to `origin`, or null when it may. */
export function secretOriginRefusal(
  name: string,
  allowedOrigins: readonly string[],
  origin: string,
): string | null {
  if (name.startsWith(RESERVED_SECRET_PREFIX))
    return `secret "${name}" is a webhook signing secret and is never sent to an endpoint`;
  if (allowedOrigins.includes(origin)) return null;
  if (allowedOrigins.length === 0)
    return `secret "${name}" has no allowed origins, so it is sent nowhere (not to ${origin}); ${howToAllow(name, origin)}`;
  return `secret "${name}" may be sent only to ${allowedOrigins.join(", ")}, not to ${origin}; ${howToAllow(name, origin)}`;
}

async function secretRow(teamId: string, name: string) {
  return db().teamSecret.findUnique({
    where: { teamId_name: { teamId, name } },
    select: { ciphertext: true, allowedOrigins: true },
  });
}

/**
 * At create time: a 422 at `path` when the secret does not exist or may not go to `url`'s origin.
 */
export async function checkSecretForUrl(
  teamId: string,
  name: string,
  url: string,
  path: string,
): Promise<void> {
  const fail = (message: string) =>
    new HttpError(422, "invalid", `${path}: ${message}`, [{ path, message }]);
  const origin = new URL(url).origin;
  if (name.startsWith(RESERVED_SECRET_PREFIX)) throw fail(secretOriginRefusal(name, [], origin)!);
  const row = await secretRow(teamId, name);
  if (!row)
    throw fail(
      `secret "${name}" does not exist in this team; set it with PUT /api/v1/secrets/${name}`,
    );
  const refusal = secretOriginRefusal(name, row.allowedOrigins, origin);
  if (refusal) throw fail(refusal);
}

/**
 * In the worker, right before sending: the secret's value when it may go to `url`'s origin;
 * else throws naming the secret and the origin (the run fails with that message).
 */
export async function readSecretForUrl(teamId: string, name: string, url: string): Promise<string> {
  const row = await secretRow(teamId, name);
  if (!row) throw new Error(`secret "${name}" not found; set it with PUT /api/v1/secrets/${name}`);
  const refusal = secretOriginRefusal(name, row.allowedOrigins, new URL(url).origin);
  if (refusal) throw new Error(refusal);
  return decryptSecret(teamId, name, row.ciphertext);
}
