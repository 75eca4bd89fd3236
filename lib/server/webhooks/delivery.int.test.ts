/**
 * Webhook delivery holds no database connection while receivers answer (a pool of 2 against 5
 * hanging receivers), a dead sender's claim expires and the delivery is sent again, and no
 * delivery reaches an internal address (refused when saved and at connect time; redirects not
 * followed). Receivers listen on loopback, allowlisted in the integration env; internal names
 * resolve through an injected resolver, and a probe on every TCP connection proves nothing but
 * loopback was ever connected to.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { NotificationEvent } from "@/lib/domain/notifications";
import { isLoopback, probeConnections } from "@/test/connection-probe";
import { waitFor } from "@/test/wait-for";

// The process's pool (Prisma and raw SQL share it): 2 connections for the whole file.
process.env.DATABASE_POOL_SIZE = "2";

const { db, sql } = await import("@/lib/server/core/db");
const { configureOutboundForTests } = await import("@/lib/server/core/outbound");
const { ownerOfNewTeam } = await import("@/test/principals");
const { claimDueDeliveries, leaseMs } = await import("./delivery");
const { createWebhook, deliverPendingWebhooks, listWebhookDeliveries, listWebhooks, notify } =
  await import("./webhooks");

const probe = probeConnections();
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  expect(probe.connected.filter((a) => !isLoopback(a))).toEqual([]);
  probe.stop();
});

let restore: () => void = () => {};
afterEach(() => restore());

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
async function receiver(handle: Handler): Promise<{ url: string; hits: IncomingMessage[] }> {
  const hits: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    hits.push(req);
    req.resume();
    req.on("end", () => handle(req, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const event: NotificationEvent = {
  kind: "gate_failed",
  model: "support-agent",
  version: 3,
  failures: ["tool_call_accuracy 0.81 < 0.9"],
  actor: "retune",
  url: "http://localhost:3999/models/m/versions/3",
};

describe("webhook delivery and the database", () => {
  it("holds no connection while 5 receivers hang, and the API keeps answering on a pool of 2", async () => {
    const { p } = await ownerOfNewTeam("wh-pool");
    const held: ServerResponse[] = [];
    const hanging = await Promise.all(
      Array.from({ length: 5 }, () => receiver((_req, res) => held.push(res))),
    );
    for (const r of hanging) await createWebhook(p, { url: `${r.url}/hook`, events: ["*"] });
    expect(await notify(p.teamId, event)).toBe(5);

    // Five senders at once (five worker ticks), one delivery each; none returns while they hang.
    const sweeps = Array.from({ length: 5 }, () => deliverPendingWebhooks(1, { teamId: p.teamId }));
    await waitFor("all 5 receivers to get their request", async () =>
      hanging.every((r) => r.hits.length === 1),
    );

    const pool = sql();
    expect(pool.options.max).toBe(2);
    // Every connection of the pool is idle: none is held across a send.
    expect(pool.totalCount - pool.idleCount).toBe(0);
    expect(pool.waitingCount).toBe(0);
    // The API answers, many reads at once, while all five sends are in flight.
    const reads = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 ? listWebhooks(p) : db().webhookDelivery.count({ where: { status: "PENDING" } }),
      ),
    );
    expect(reads[1]).toHaveLength(5);
    const hooks = await listWebhooks(p);
    const inFlight = await Promise.all(hooks.map((h) => listWebhookDeliveries(p, h.id)));
    expect(inFlight.flat().map((d) => [d.status, d.attempts])).toEqual(
      Array.from({ length: 5 }, () => ["PENDING", 1]),
    );

    // The receivers hang up: each sender records its failed try in a short write.
    for (const res of held) res.socket?.destroy();
    const results = await Promise.all(sweeps);
    expect(results.reduce((n, r) => n + r.tried, 0)).toBe(5);
    const after = (await Promise.all(hooks.map((h) => listWebhookDeliveries(p, h.id)))).flat();
    for (const d of after) {
      expect(d).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: null });
      expect(d.lastError).toMatch(/fetch failed|socket|closed/);
    }
    const rows = await db().webhookDelivery.findMany({
      where: { id: { in: after.map((d) => d.id) } },
    });
    expect(rows.every((r) => r.claimToken === null && r.claimedUntil === null)).toBe(true);
  });

  it("sends again a delivery whose sender died after claiming it, once its claim expires", async () => {
    const { p } = await ownerOfNewTeam("wh-lease");
    const ok = await receiver((_req, res) => res.writeHead(204).end());
    const hook = await createWebhook(p, { url: `${ok.url}/hook`, events: ["*"] });
    await notify(p.teamId, event);

    // A sender claims it and dies before sending anything.
    const [claimed] = await claimDueDeliveries(20, { teamId: p.teamId });
    expect(claimed).toMatchObject({ attempts: 1, url: `${ok.url}/hook` });
    // Leased: nobody else sends it meanwhile.
    expect((await deliverPendingWebhooks(20, { teamId: p.teamId })).tried).toBe(0);
    expect(ok.hits).toHaveLength(0);

    // After the lease (and the backoff of the lost try): due again, and delivered.
    const later = new Date(Date.now() + leaseMs(20) + 61_000);
    expect(await deliverPendingWebhooks(20, { now: later, teamId: p.teamId })).toEqual({
      tried: 1,
      delivered: 1,
      failed: 0,
    });
    expect(ok.hits).toHaveLength(1);
    const [d] = await listWebhookDeliveries(p, hook.id);
    expect(d).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatus: 204 });
  });

  it("fails a delivery whose last try was claimed and never recorded, saying so", async () => {
    const { p } = await ownerOfNewTeam("wh-lost");
    const ok = await receiver((_req, res) => res.writeHead(204).end());
    const hook = await createWebhook(p, { url: `${ok.url}/hook`, events: ["*"] });
    await notify(p.teamId, event);
    await db().webhookDelivery.updateMany({ where: { webhookId: hook.id }, data: { attempts: 4 } });
    const farFuture = new Date(Date.now() + 24 * 3600_000);
    expect(await claimDueDeliveries(20, { now: farFuture, teamId: p.teamId })).toHaveLength(1);
    const afterLease = new Date(farFuture.getTime() + leaseMs(20) + 1_000);
    expect((await deliverPendingWebhooks(20, { now: afterLease, teamId: p.teamId })).tried).toBe(0);
    const [d] = await listWebhookDeliveries(p, hook.id);
    expect(d).toMatchObject({
      status: "FAILED",
      attempts: 5,
      lastError: "the sender stopped before recording the outcome of the last try",
    });
    expect(ok.hits).toHaveLength(0);
  });

  it("fails the pending deliveries of a deactivated webhook, saying so, and leaves a leased one to its sender", async () => {
    const { p } = await ownerOfNewTeam("wh-off");
    const ok = await receiver((_req, res) => res.writeHead(204).end());
    const hook = await createWebhook(p, { url: `${ok.url}/hook`, events: ["*"] });
    await notify(p.teamId, event);
    await notify(p.teamId, { ...event, version: 4 });
    // One is leased to a sender (its try in flight) when the webhook is switched off.
    const [leased] = await claimDueDeliveries(1, { teamId: p.teamId });
    await db().webhook.update({ where: { id: hook.id }, data: { active: false } });

    expect(await deliverPendingWebhooks(20, { teamId: p.teamId })).toEqual({
      tried: 0,
      delivered: 0,
      failed: 0,
    });
    const rows = await listWebhookDeliveries(p, hook.id);
    expect(rows.find((d) => d.id !== leased!.id)).toMatchObject({
      status: "FAILED",
      attempts: 0,
      lastError: "the webhook was deactivated before this delivery was sent",
    });
    expect(rows.find((d) => d.id === leased!.id)).toMatchObject({ status: "PENDING" });
    // Once its lease has passed with no outcome recorded, it ends the same way.
    const afterLease = new Date(Date.now() + leaseMs(1) + 1_000);
    await deliverPendingWebhooks(20, { now: afterLease, teamId: p.teamId });
    const [after] = (await listWebhookDeliveries(p, hook.id)).filter((d) => d.id === leased!.id);
    expect(after).toMatchObject({
      status: "FAILED",
      lastError: "the webhook was deactivated before this delivery was sent",
    });
    expect(ok.hits).toHaveLength(0);
  });
});

describe("webhook URLs to internal addresses", () => {
  const resolve = (map: Record<string, string>) => async (hostname: string) => {
    const address = map[hostname];
    if (!address) throw Object.assign(new Error(`unknown ${hostname}`), { code: "ENOTFOUND" });
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };

  it("are refused with 422 naming the rule, unless allowlisted", async () => {
    const { p } = await ownerOfNewTeam("wh-internal");
    const ok = await receiver((_req, res) => res.writeHead(204).end());
    restore = configureOutboundForTests({
      allow: "",
      resolve: resolve({ "hooks.internal.test": "172.16.8.8" }),
    });
    const cases: [string, string][] = [
      [`${ok.url}/hook`, "127.0.0.1 is a loopback address (127.0.0.0/8)"],
      ["http://10.0.0.5/hook", "10.0.0.5 is a private address (10.0.0.0/8)"],
      ["http://172.31.0.1/hook", "172.31.0.1 is a private address (172.16.0.0/12)"],
      ["http://192.168.0.10/hook", "192.168.0.10 is a private address (192.168.0.0/16)"],
      [
        "http://169.254.169.254/latest",
        "169.254.169.254 is a link-local (cloud metadata) address (169.254.0.0/16)",
      ],
      ["http://[::1]:9000/hook", "::1 is a loopback address (::1/128)"],
      ["http://[fc00::7]/hook", "fc00::7 is a unique-local (private) address (fc00::/7)"],
      [
        "https://hooks.internal.test/hook",
        "hooks.internal.test resolves to 172.16.8.8, a private address (172.16.0.0/12)",
      ],
    ];
    for (const [url, why] of cases) {
      const e = await createWebhook(p, { url, events: ["*"] }).catch((err: unknown) => err);
      expect(e).toMatchObject({ status: 422, issues: [{ path: "url" }] });
      expect((e as Error).message).toBe(
        `url: ${why}, which server-side requests may not reach; allow it with RETUNE_OUTBOUND_ALLOW`,
      );
    }
    expect(await listWebhooks(p)).toEqual([]);
    restore();
    // The integration env allowlists 127.0.0.1: the same loopback receiver is accepted.
    await expect(createWebhook(p, { url: `${ok.url}/hook`, events: ["*"] })).resolves.toMatchObject(
      {
        url: `${ok.url}/hook`,
      },
    );
  });

  it("are refused at connect time when the name resolves to an internal address by then", async () => {
    const { p } = await ownerOfNewTeam("wh-rebind");
    const ok = await receiver((_req, res) => res.writeHead(204).end());
    const url = `http://hooks.rebind.test:${new URL(ok.url).port}/hook`;
    restore = configureOutboundForTests({ resolve: resolve({ "hooks.rebind.test": "127.0.0.1" }) });
    const hook = await createWebhook(p, { url, events: ["*"] });
    restore();
    restore = configureOutboundForTests({
      resolve: resolve({ "hooks.rebind.test": "192.168.4.4" }),
    });
    await notify(p.teamId, event);
    probe.clear();
    await deliverPendingWebhooks(20, { teamId: p.teamId });
    const [d] = await listWebhookDeliveries(p, hook.id);
    expect(d).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: null });
    expect(d!.lastError).toBe(
      "refused: hooks.rebind.test resolves to 192.168.4.4, a private address (192.168.0.0/16), " +
        "which server-side requests may not reach; allow it with RETUNE_OUTBOUND_ALLOW",
    );
    expect(ok.hits).toHaveLength(0);
    expect(probe.connected.every(isLoopback)).toBe(true);
  });

  it("do not follow a redirect to an internal address", async () => {
    const { p } = await ownerOfNewTeam("wh-redirect-internal");
    const to = "http://169.254.169.254/latest/meta-data/";
    const moved = await receiver((_req, res) => res.writeHead(302, { location: to }).end());
    const hook = await createWebhook(p, { url: `${moved.url}/hook`, events: ["*"] });
    await notify(p.teamId, event);
    probe.clear();
    await deliverPendingWebhooks(20, { teamId: p.teamId });
    const [d] = await listWebhookDeliveries(p, hook.id);
    expect(d).toMatchObject({ status: "PENDING", lastStatus: 302 });
    expect(d!.lastError).toBe(`redirect to ${to} not followed`);
    expect(moved.hits).toHaveLength(1);
    expect(probe.connected.every(isLoopback)).toBe(true);
  });
});
