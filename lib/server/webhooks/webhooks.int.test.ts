/** Webhooks end to end against PostgreSQL and a local HTTP receiver that verifies signatures. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildWebhookPayload, type NotificationEvent } from "@/lib/domain/notifications";
import { db } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import {
  createWebhook,
  deleteWebhook,
  deliverPendingWebhooks,
  listWebhookDeliveries,
  listWebhooks,
  notify,
  signPayload,
  verifySignature,
  WEBHOOK_MAX_ATTEMPTS,
} from "./webhooks";
import { createTeamWith, signUp } from "@/test/principals";

type Received = { headers: IncomingHttpHeaders; body: string; path: string };
let received: Received[] = [];
let answer: (n: number) => number = () => 200;
let receiver: ReturnType<typeof createServer>;
let base = "";

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        path: req.url ?? "/",
      });
      const status = answer(received.length);
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status >= 400 ? "receiver is down" : "ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
});
afterEach(async () => {
  received = [];
  answer = () => 200;
  // deliverPendingWebhooks is global: leave nothing due for the next test.
  await db().webhookDelivery.updateMany({
    where: { status: "PENDING" },
    data: { status: "FAILED" },
  });
});

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

const event = (kind: NotificationEvent["kind"]): NotificationEvent => ({
  kind,
  model: "support-agent",
  version: 7,
  failures: ["tool_call_accuracy 0.81 < 0.9"],
  actor: "retune",
  url: "http://localhost:3999/models/m/versions/7",
});

async function rejects(promise: Promise<unknown>, status: number, text?: string) {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  expect((e as HttpError).status).toBe(status);
  if (text) expect((e as HttpError).message).toContain(text);
}

describe("webhooks", () => {
  it("show the generated secret once, store it encrypted, and send signed events that verify", async () => {
    const p = await teamPrincipal("wh-owner");
    const hook = await createWebhook(p, { url: `${base}/hooks/a`, events: ["gate_failed"] });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const stored = await db().teamSecret.findUniqueOrThrow({
      where: { teamId_name: { teamId: p.teamId, name: `webhook-${hook.id}` } },
    });
    expect(stored.ciphertext).not.toContain(hook.secret);
    const listed = await listWebhooks(p);
    expect(listed).toEqual([
      {
        id: hook.id,
        url: `${base}/hooks/a`,
        events: ["gate_failed"],
        active: true,
        createdAt: hook.createdAt,
      },
    ]);
    const audit = await db().auditEvent.findMany({ where: { teamId: p.teamId } });
    expect(audit.map((a) => a.action)).toContain("webhook.create");
    expect(JSON.stringify(audit)).not.toContain(hook.secret);

    expect(await notify(p.teamId, event("promoted"))).toBe(0);
    expect(await notify(p.teamId, event("gate_failed"))).toBe(1);
    const result = await deliverPendingWebhooks(20, { teamId: p.teamId });
    expect(result).toEqual({ tried: 1, delivered: 1, failed: 0 });

    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.path).toBe("/hooks/a");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers["x-retune-event"]).toBe("gate_failed");
    const ts = String(r.headers["x-retune-timestamp"]);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(30);
    const sig = String(r.headers["x-retune-signature"]);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(hook.secret, ts, r.body, sig)).toBe(true);
    // A receiver rejects a tampered body, another secret, and a replay outside the window.
    expect(verifySignature(hook.secret, ts, r.body.replace("7", "8"), sig)).toBe(false);
    expect(verifySignature("whsec_other", ts, r.body, sig)).toBe(false);
    expect(
      verifySignature(hook.secret, ts, r.body, sig, { nowMs: (Number(ts) + 301) * 1000 }),
    ).toBe(false);
    expect(JSON.parse(r.body)).toEqual(buildWebhookPayload(event("gate_failed")));

    const [delivery] = await listWebhookDeliveries(p, hook.id);
    expect(r.headers["x-retune-delivery"]).toBe(delivery!.id);
    expect(delivery).toMatchObject({
      event: "gate_failed",
      status: "DELIVERED",
      attempts: 1,
      lastStatus: 200,
      lastError: null,
    });
    expect(delivery!.deliveredAt).not.toBeNull();
  });

  it('accept a given secret and "*" for every event', async () => {
    const p = await teamPrincipal("wh-star");
    const secret = "a-receiver-chosen-secret-0123";
    const hook = await createWebhook(p, { url: `${base}/all`, events: ["*"], secret });
    expect(hook.secret).toBe(secret);
    expect(await notify(p.teamId, event("drift_breach"))).toBe(1);
    expect(await notify(p.teamId, event("promoted"))).toBe(1);
    await deliverPendingWebhooks(20, { teamId: p.teamId });
    expect(received.map((r) => r.headers["x-retune-event"]).sort()).toEqual([
      "drift_breach",
      "promoted",
    ]);
    for (const r of received) {
      const ts = String(r.headers["x-retune-timestamp"]);
      expect(r.headers["x-retune-signature"]).toBe(signPayload(secret, ts, r.body));
    }
  });

  it("retry after a 500 with backoff, then deliver; give up after the last try", async () => {
    const p = await teamPrincipal("wh-retry");
    const hook = await createWebhook(p, { url: `${base}/flaky`, events: ["training_failed"] });
    answer = (n) => (n === 1 ? 500 : 204);
    await notify(p.teamId, event("training_failed"));

    expect(await deliverPendingWebhooks(20, { teamId: p.teamId })).toEqual({
      tried: 1,
      delivered: 0,
      failed: 0,
    });
    let [d] = await listWebhookDeliveries(p, hook.id);
    expect(d).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: 500 });
    expect(d!.lastError).toContain("HTTP 500: receiver is down");

    // Not due yet: the first retry waits a minute.
    expect((await deliverPendingWebhooks(20, { teamId: p.teamId })).tried).toBe(0);
    const later = new Date(Date.now() + 61_000);
    expect(await deliverPendingWebhooks(20, { now: later, teamId: p.teamId })).toEqual({
      tried: 1,
      delivered: 1,
      failed: 0,
    });
    [d] = await listWebhookDeliveries(p, hook.id);
    expect(d).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatus: 204, lastError: null });
    expect(received).toHaveLength(2);
    // The retry is the same delivery, re-signed with a fresh timestamp.
    expect(received[1]!.headers["x-retune-delivery"]).toBe(
      received[0]!.headers["x-retune-delivery"],
    );

    answer = () => 503;
    received = [];
    await notify(p.teamId, event("training_failed"));
    const farFuture = new Date(Date.now() + 24 * 3600_000);
    for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS + 2; i++)
      await deliverPendingWebhooks(20, { now: farFuture, teamId: p.teamId });
    expect(received).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    const failed = (await listWebhookDeliveries(p, hook.id)).find((x) => x.status !== "DELIVERED");
    expect(failed).toMatchObject({
      status: "FAILED",
      attempts: WEBHOOK_MAX_ATTEMPTS,
      lastStatus: 503,
    });
  });

  it("do not follow redirects and record network errors", async () => {
    const p = await teamPrincipal("wh-redirect");
    const hook = await createWebhook(p, { url: `${base}/moved`, events: ["promoted"] });
    answer = () => 302;
    await notify(p.teamId, event("promoted"));
    await deliverPendingWebhooks(20, { teamId: p.teamId });
    const [d] = await listWebhookDeliveries(p, hook.id);
    expect(d).toMatchObject({ status: "PENDING", lastStatus: 302 });
    expect(d!.lastError).toContain("not followed");

    const dead = await createWebhook(p, { url: "http://127.0.0.1:1/none", events: ["promoted"] });
    await db().webhookDelivery.updateMany({
      where: { status: "PENDING" },
      data: { status: "FAILED" },
    });
    await notify(p.teamId, event("promoted"));
    await deliverPendingWebhooks(20, { teamId: p.teamId });
    const [dd] = await listWebhookDeliveries(p, dead.id);
    expect(dd).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: null });
    expect(dd!.lastError).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it("are sent once even when two workers deliver at the same time", async () => {
    const p = await teamPrincipal("wh-race");
    await createWebhook(p, { url: `${base}/race`, events: ["*"] });
    for (let i = 0; i < 12; i++) await notify(p.teamId, event("gate_passed"));
    const results = await Promise.all([
      deliverPendingWebhooks(50, { teamId: p.teamId }),
      deliverPendingWebhooks(50, { teamId: p.teamId }),
      deliverPendingWebhooks(50, { teamId: p.teamId }),
    ]);
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(12);
    const ids = received.map((r) => r.headers["x-retune-delivery"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it("are scoped by team: another team's webhook id is not found", async () => {
    const a = await teamPrincipal("wh-a");
    const b = await teamPrincipal("wh-b");
    const hook = await createWebhook(a, { url: `${base}/a`, events: ["promoted"] });
    expect(await listWebhooks(b)).toEqual([]);
    await rejects(deleteWebhook(b, hook.id), 404, hook.id);
    await rejects(listWebhookDeliveries(b, hook.id), 404);
    expect(await notify(b.teamId, event("promoted"))).toBe(0);

    await deleteWebhook(a, hook.id);
    expect(await listWebhooks(a)).toEqual([]);
    expect(
      await db().teamSecret.findFirst({ where: { teamId: a.teamId, name: `webhook-${hook.id}` } }),
    ).toBeNull();
    await rejects(deleteWebhook(a, hook.id), 404);
  });

  it("refuse non-http URLs, credentials in URLs, and members below ADMIN", async () => {
    const p = await teamPrincipal("wh-validate");
    await rejects(createWebhook(p, { url: "ftp://example.test/x", events: ["*"] }), 400, "url");
    await rejects(
      createWebhook(p, { url: "https://user:pw@example.test/x", events: ["*"] }),
      400,
      "user name or password",
    );
    const { createWebhookBodySchema } = await import("@/lib/schemas/webhooks");
    expect(
      createWebhookBodySchema.safeParse({ url: "https://x.test", events: ["nope"] }).success,
    ).toBe(false);
    expect(createWebhookBodySchema.safeParse({ url: "https://x.test", events: [] }).success).toBe(
      false,
    );
    const engineer: Principal = { ...p, actor: { kind: "user", role: "ENGINEER" } };
    await rejects(createWebhook(engineer, { url: `${base}/x`, events: ["*"] }), 403);
    await rejects(listWebhooks(engineer), 403);
  });
});
