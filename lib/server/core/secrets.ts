/**
 * Team secrets, encrypted at rest with AES-256-GCM. The key is derived with HKDF-SHA256 from
 * RETUNE_SECRET_KEY (else the auth secret, see env.ts), and each ciphertext is bound to its team
 * and name through the GCM additional data, so a row copied to another team or renamed fails to
 * decrypt instead of leaking. Values never leave lib/server: the API lists names, dates and the
 * origins each secret may be sent to (`secret-origins.ts`), never a value.
 *
 * Stored format: `v1:<iv b64>:<tag b64>:<ciphertext b64>` (the version names the scheme, so a
 * later key rotation can tell old rows apart).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import {
  type PutSecretBody,
  putSecretBodySchema,
  RESERVED_SECRET_PREFIX,
  secretNameSchema,
  type Secret,
} from "@/lib/schemas/secrets";
import { actorOf, recordAudit } from "./audit";
import { authorize } from "./authorize";
import { db, type Tx } from "./db";
import { authSecret, env } from "./env";
import { badRequest, HttpError, notFound } from "./errors";
import type { Principal } from "./principal";

const VERSION = "v1";
const IV_BYTES = 12;

let cachedKey: { material: string; key: Buffer } | undefined;

function encryptionKey(): Buffer {
  const material = env().RETUNE_SECRET_KEY ?? authSecret();
  if (cachedKey?.material !== material) {
    const key = Buffer.from(hkdfSync("sha256", material, "retune", "retune team secrets", 32));
    cachedKey = { material, key };
  }
  return cachedKey.key;
}

const aadOf = (teamId: string, name: string) => Buffer.from(`${teamId}:${name}`, "utf8");

/** Encrypts `value` for this team and name. Exported for tests. */
export function encryptSecret(teamId: string, name: string, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(aadOf(teamId, name));
  const ct = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ct]
    .map((x) => (typeof x === "string" ? x : x.toString("base64")))
    .join(":");
}

/** Decrypts what `encryptSecret` wrote for the same team and name; throws naming the secret. */
export function decryptSecret(teamId: string, name: string, stored: string): string {
  const parts = stored.split(":");
  const unreadable = (why: string) =>
    new HttpError(
      500,
      "secret_unreadable",
      `secret "${name}" cannot be decrypted (${why}); PUT /api/v1/secrets/${name} again`,
    );
  if (parts.length !== 4 || parts[0] !== VERSION) throw unreadable("unknown format");
  const [, iv, tag, ct] = parts.map((x) => Buffer.from(x, "base64"));
  try {
    const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), iv!);
    decipher.setAAD(aadOf(teamId, name));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ct!), decipher.final()]).toString("utf8");
  } catch {
    throw unreadable("wrong key, or the row belongs to another team or name");
  }
}

function checkName(name: string, { write }: { write: boolean }): void {
  const parsed = secretNameSchema.safeParse(name);
  if (!parsed.success) {
    throw badRequest(`secret name "${name}": ${parsed.error.issues[0]?.message ?? "invalid"}`, [
      { path: "name", message: parsed.error.issues[0]?.message ?? "invalid" },
    ]);
  }
  if (write && name.startsWith(RESERVED_SECRET_PREFIX)) {
    throw badRequest(
      `secret names starting with "${RESERVED_SECRET_PREFIX}" are managed by retune (webhook signing secrets); choose another name`,
      [{ path: "name", message: "reserved prefix" }],
    );
  }
}

type Row = { name: string; allowedOrigins: string[]; createdAt: Date; updatedAt: Date };
const toSecret = (r: Row): Secret => ({
  name: r.name,
  allowedOrigins: r.allowedOrigins,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/**
 * Creates or replaces a secret without authorization or audit: for lib/server callers that have
 * already authorized (webhooks.ts stores its signing secrets with it, in its own transaction).
 */
export async function storeSecret(
  teamId: string,
  name: string,
  value: string,
  tx?: Tx,
): Promise<Row & { created: boolean }> {
  const ciphertext = encryptSecret(teamId, name, value);
  const client = tx ?? db();
  const existing = await client.teamSecret.findUnique({
    where: { teamId_name: { teamId, name } },
    select: { id: true },
  });
  const row = await client.teamSecret.upsert({
    where: { teamId_name: { teamId, name } },
    create: { teamId, name, ciphertext },
    update: { ciphertext },
  });
  return { ...row, created: !existing };
}

/** Removes a secret without authorization or audit (see `storeSecret`); true when one existed. */
export async function removeSecret(teamId: string, name: string, tx?: Tx): Promise<boolean> {
  const { count } = await (tx ?? db()).teamSecret.deleteMany({ where: { teamId, name } });
  return count > 0;
}

/**
 * PUT /secrets/{name}: a new secret needs a value; an existing one gets a new value, new allowed
 * origins, or both (what is omitted stays). Only ADMINs and OWNERs (team.update, never an API
 * key) decide where a secret may be sent.
 */
export async function putSecret(p: Principal, name: string, input: PutSecretBody): Promise<Secret> {
  authorize(p, "team.update");
  checkName(name, { write: true });
  const body = putSecretBodySchema.parse(input);
  if (body.value === undefined && body.allowedOrigins === undefined)
    throw badRequest("send value, allowedOrigins or both", [
      { path: "value", message: "required when allowedOrigins is omitted" },
    ]);
  const origins = body.allowedOrigins && [...new Set(body.allowedOrigins)];
  const row = await db().$transaction(async (tx) => {
    let created = false;
    if (body.value !== undefined) {
      created = (await storeSecret(p.teamId, name, body.value, tx)).created;
    } else if (
      !(await tx.teamSecret.findUnique({ where: { teamId_name: { teamId: p.teamId, name } } }))
    ) {
      throw new HttpError(422, "invalid", `value: required for the new secret "${name}"`, [
        { path: "value", message: "required for a new secret" },
      ]);
    }
    const r = await tx.teamSecret.update({
      where: { teamId_name: { teamId: p.teamId, name } },
      // updatedAt moves with the origins too: it dates the last change an ADMIN made.
      data: origins ? { allowedOrigins: origins, updatedAt: new Date() } : {},
    });
    await recordAudit(
      {
        ...actorOf(p),
        action: "secret.put",
        targetType: "secret",
        targetId: name,
        metadata: {
          name,
          created,
          ...(body.value === undefined ? { valueChanged: false } : {}),
          ...(origins ? { allowedOrigins: origins.join(" ") } : {}),
        },
      },
      tx,
    );
    return r;
  });
  return toSecret(row);
}

export async function listSecrets(p: Principal): Promise<Secret[]> {
  authorize(p, "team.read");
  const rows = await db().teamSecret.findMany({
    where: { teamId: p.teamId },
    select: { name: true, allowedOrigins: true, createdAt: true, updatedAt: true },
    orderBy: { name: "asc" },
  });
  return rows.map(toSecret);
}

export async function deleteSecret(p: Principal, name: string): Promise<{ deleted: string }> {
  authorize(p, "team.update");
  checkName(name, { write: true });
  await db().$transaction(async (tx) => {
    if (!(await removeSecret(p.teamId, name, tx))) throw notFound("secret", name);
    await recordAudit(
      {
        ...actorOf(p),
        action: "secret.delete",
        targetType: "secret",
        targetId: name,
        metadata: { name },
      },
      tx,
    );
  });
  return { deleted: name };
}

/**
 * A secret's value, for server code acting for the team (the eval worker reading an endpoint's
 * API key, the webhook sender its signing secret). The caller has already checked that the
 * team may use it. A missing secret is a 404 naming it and how to set it.
 */
export async function readSecret(teamId: string, name: string): Promise<string> {
  const row = await db().teamSecret.findUnique({
    where: { teamId_name: { teamId, name } },
    select: { ciphertext: true },
  });
  if (!row) {
    throw new HttpError(
      404,
      "not_found",
      `secret "${name}" not found; set it with PUT /api/v1/secrets/${name}`,
    );
  }
  return decryptSecret(teamId, name, row.ciphertext);
}
