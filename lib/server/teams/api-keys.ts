import { randomBytes } from "node:crypto";
import type { ApiKey, CreateApiKeyBody, CreatedApiKey } from "@/lib/schemas/api-keys";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { conflict, notFound } from "@/lib/server/core/errors";
import { API_KEY_PREFIX, hashSecret, type Principal } from "@/lib/server/core/principal";
import type { ApiKeyScope as DbScope } from "@/lib/server/generated/prisma/client";

type Row = {
  id: string;
  name: string;
  prefix: string;
  scopes: DbScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};
const toApiKey = (r: Row): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes.map((s) => s.toLowerCase() as ApiKey["scopes"][number]),
  createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

/** 32 random bytes (256 bits), base64url; `rt_` marks it as a retune key for secret scanners. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export async function listApiKeys(p: Principal): Promise<ApiKey[]> {
  authorize(p, "api-key.manage");
  const rows = await db().apiKey.findMany({
    where: { teamId: p.teamId },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toApiKey);
}

export async function createApiKey(
  p: Principal,
  body: CreateApiKeyBody,
  key = generateApiKey(),
): Promise<CreatedApiKey> {
  authorize(p, "api-key.manage");
  const row = await db().$transaction(async (tx) => {
    const r = await tx.apiKey.create({
      data: {
        teamId: p.teamId,
        name: body.name,
        prefix: key.slice(0, 10),
        hash: hashSecret(key),
        scopes: body.scopes.map((s) => s.toUpperCase() as DbScope),
        createdById: p.userId,
      },
    });
    await recordAudit(
      {
        ...actorOf(p),
        action: "api-key.create",
        targetType: "api-key",
        targetId: r.id,
        metadata: { name: body.name, scopes: body.scopes.join(",") },
      },
      tx,
    );
    return r;
  });
  return { ...toApiKey(row), key };
}

export async function revokeApiKey(p: Principal, id: string): Promise<ApiKey> {
  authorize(p, "api-key.manage");
  const found = await db().apiKey.findFirst({ where: { id, teamId: p.teamId } });
  if (!found) throw notFound("API key", id);
  if (found.revokedAt) throw conflict(`API key ${id} is already revoked`);
  const row = await db().$transaction(async (tx) => {
    const r = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(
      {
        ...actorOf(p),
        action: "api-key.revoke",
        targetType: "api-key",
        targetId: id,
        metadata: { name: found.name },
      },
      tx,
    );
    return r;
  });
  return toApiKey(row);
}
