/** Team secrets against PostgreSQL: encrypted at rest, bound to team and name, never listed. */
import { describe, expect, it } from "vitest";
import { db } from "./db";
import { HttpError } from "./errors";
import type { Principal } from "./principal";
import {
  decryptSecret,
  deleteSecret,
  encryptSecret,
  listSecrets,
  putSecret,
  readSecret,
} from "./secrets";
import { createTeamWith, signUp } from "@/test/principals";

async function teamPrincipal(label: string): Promise<Principal> {
  const owner = await signUp(label);
  const team = await createTeamWith({ OWNER: owner });
  return {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
}

async function rejects(promise: Promise<unknown>, status: number, text?: string) {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  expect((e as HttpError).status).toBe(status);
  if (text) expect((e as HttpError).message).toContain(text);
}

const VALUE = "sk-live-abcdefghijklmnopqrstuvwxyz-0123";

describe("team secrets", () => {
  it("are stored encrypted, listed without values, read back by server code, and audited without values", async () => {
    const p = await teamPrincipal("sec-owner");
    const put = await putSecret(p, "vllm-key", { value: VALUE });
    expect(put).toEqual({
      name: "vllm-key",
      allowedOrigins: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const row = await db().teamSecret.findUniqueOrThrow({
      where: { teamId_name: { teamId: p.teamId, name: "vllm-key" } },
    });
    expect(row.ciphertext).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(row.ciphertext).not.toContain(VALUE);
    expect(await readSecret(p.teamId, "vllm-key")).toBe(VALUE);

    const listed = await listSecrets(p);
    expect(listed).toEqual([put]);
    expect(JSON.stringify(listed)).not.toContain(VALUE);

    await putSecret(p, "vllm-key", { value: "rotated-value" });
    expect(await readSecret(p.teamId, "vllm-key")).toBe("rotated-value");
    expect(await listSecrets(p)).toHaveLength(1);

    await deleteSecret(p, "vllm-key");
    await rejects(readSecret(p.teamId, "vllm-key"), 404, "vllm-key");
    await rejects(deleteSecret(p, "vllm-key"), 404, "vllm-key");

    const audit = await db().auditEvent.findMany({
      where: { teamId: p.teamId },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["secret.put", "secret.put", "secret.delete"]);
    expect(audit[0]!.metadata).toEqual({ name: "vllm-key", created: true });
    expect(audit[1]!.metadata).toEqual({ name: "vllm-key", created: false });
    expect(JSON.stringify(audit)).not.toContain(VALUE);
    expect(JSON.stringify(audit)).not.toContain("rotated-value");
  });

  it("do not decrypt when copied to another team or name", async () => {
    const a = await teamPrincipal("sec-a");
    const b = await teamPrincipal("sec-b");
    await putSecret(a, "key", { value: VALUE });
    const row = await db().teamSecret.findUniqueOrThrow({
      where: { teamId_name: { teamId: a.teamId, name: "key" } },
    });
    await db().teamSecret.create({
      data: { teamId: b.teamId, name: "key", ciphertext: row.ciphertext },
    });
    await rejects(readSecret(b.teamId, "key"), 500, 'secret "key" cannot be decrypted');
    expect(() => decryptSecret(a.teamId, "other", row.ciphertext)).toThrow(/cannot be decrypted/);
    expect(decryptSecret(a.teamId, "key", encryptSecret(a.teamId, "key", "x"))).toBe("x");
    // Each encryption uses a fresh IV.
    expect(encryptSecret(a.teamId, "key", "x")).not.toBe(encryptSecret(a.teamId, "key", "x"));
    // Another team neither sees nor deletes it.
    expect((await listSecrets(b)).map((s) => s.name)).toEqual(["key"]);
    await deleteSecret(b, "key");
    expect(await readSecret(a.teamId, "key")).toBe(VALUE);
  });

  it("refuse bad and reserved names, and writes below ADMIN", async () => {
    const p = await teamPrincipal("sec-rules");
    await rejects(putSecret(p, "has space", { value: "v" }), 400, "has space");
    await rejects(putSecret(p, "webhook-123", { value: "v" }), 400, "managed by retune");
    await rejects(deleteSecret(p, "webhook-123"), 400, "managed by retune");
    const engineer: Principal = { ...p, actor: { kind: "user", role: "ENGINEER" } };
    await rejects(putSecret(engineer, "k", { value: "v" }), 403);
    await rejects(deleteSecret(engineer, "k"), 403);
    const viewer: Principal = { ...p, actor: { kind: "user", role: "VIEWER" } };
    expect(await listSecrets(viewer)).toEqual([]);
  });
});
