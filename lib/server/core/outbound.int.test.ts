/**
 * Server-side requests to internal addresses: refused by default (literal hosts, names that
 * resolve to them, DNS rebinding between save and send, redirects), admitted by the allowlist.
 * No test here ever opens a connection to anything but loopback: internal names are resolved by
 * an injected resolver, and a probe on every TCP connection of this process proves both that the
 * refused ones were never connected to and that nothing else was.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isLoopback, probeConnections } from "@/test/connection-probe";
import { HttpError } from "./errors";
import {
  checkOutboundUrl,
  configureOutboundForTests,
  outboundFetch,
  refusalIn,
  type Resolver,
} from "./outbound";

const probe = probeConnections();
let server: Server;
let port = 0;
let hits = 0;
let redirectTo: string | null = null;

/** A resolver for test names only; any other name is a test bug, not a DNS query. */
const names: Record<string, { address: string; family: number }[]> = {
  "internal.test": [{ address: "10.1.2.3", family: 4 }],
  "metadata.test": [{ address: "169.254.169.254", family: 4 }],
  "ula.test": [{ address: "fd12:3456::7", family: 6 }],
  "mapped.test": [{ address: "::ffff:192.168.0.9", family: 6 }],
  // A public address next to an internal one: refused as a whole, so neither is connected to.
  "mixed.test": [
    { address: "93.184.215.14", family: 4 },
    { address: "172.20.0.4", family: 4 },
  ],
  "receiver.test": [{ address: "127.0.0.1", family: 4 }],
};
const lookups: string[] = [];
const resolve: Resolver = async (hostname) => {
  lookups.push(hostname);
  const hit = names[hostname];
  if (!hit)
    throw Object.assign(new Error(`test resolver: ${hostname} unknown`), { code: "ENOTFOUND" });
  return hit;
};

let restore: () => void = () => {};
beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (redirectTo) res.writeHead(302, { location: redirectTo }).end();
    else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterEach(() => {
  restore();
  lookups.splice(0);
  redirectTo = null;
});
afterAll(async () => {
  // Whatever happened above, this process connected to loopback only.
  expect(probe.connected.filter((a) => !isLoopback(a))).toEqual([]);
  probe.stop();
  await new Promise<void>((r) => server.close(() => r()));
});

/** The host as the URL parser writes it: no brackets, IPv6 compressed (::ffff:a00:1). */
const bare = (host: string) => new URL(`http://${host}/`).hostname.replace(/^\[|\]$/g, "");

async function refusal(url: string) {
  const e = await outboundFetch(url, { method: "POST", body: "{}" }).then(
    () => null,
    (err: unknown) => err,
  );
  const r = refusalIn(e);
  if (!r) throw new Error(`expected a refusal for ${url}, got ${String(e)}`);
  return r;
}

const RANGES: [string, string][] = [
  ["127.0.0.1", "a loopback address (127.0.0.0/8)"],
  ["10.1.2.3", "a private address (10.0.0.0/8)"],
  ["172.16.5.5", "a private address (172.16.0.0/12)"],
  ["192.168.1.1", "a private address (192.168.0.0/16)"],
  ["169.254.169.254", "a link-local (cloud metadata) address (169.254.0.0/16)"],
  ["0.0.0.0", "an unspecified address (0.0.0.0/8)"],
  ["[::1]", "a loopback address (::1/128)"],
  ["[fc00::1]", "a unique-local (private) address (fc00::/7)"],
  ["[fe80::1]", "a link-local (cloud metadata) address (fe80::/10)"],
  ["[::ffff:10.0.0.1]", "an IPv6 address carrying 10.0.0.1, a private address (10.0.0.0/8)"],
];

describe("outbound requests, by default", () => {
  it.each(RANGES)("refuse %s before any socket connects", async (host, kind) => {
    restore = configureOutboundForTests({ allow: "", resolve });
    probe.clear();
    const r = await refusal(`http://${host}:${port}/hook`);
    expect(r.message).toContain(kind);
    expect(r.message).toContain("allow it with RETUNE_OUTBOUND_ALLOW");
    expect(probe.connected).toEqual([]);
    expect(hits).toBe(0);
  });

  it.each([
    ["internal.test", "resolves to 10.1.2.3, a private address (10.0.0.0/8)"],
    [
      "metadata.test",
      "resolves to 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)",
    ],
    ["ula.test", "resolves to fd12:3456::7, a unique-local (private) address (fc00::/7)"],
    [
      "mapped.test",
      "resolves to ::ffff:192.168.0.9, an IPv6 address carrying 192.168.0.9, a private address",
    ],
    ["mixed.test", "resolves to 172.20.0.4, a private address (172.16.0.0/12)"],
    ["receiver.test", "resolves to 127.0.0.1, a loopback address (127.0.0.0/8)"],
  ])("refuse a name that resolves to an internal address: %s", async (host, why) => {
    restore = configureOutboundForTests({ allow: "", resolve });
    probe.clear();
    const r = await refusal(`http://${host}:${port}/hook`);
    expect(r.message).toContain(`${host} ${why}`);
    // The refusal came from the lookup the connection itself asked for, and nothing connected.
    expect(lookups).toContain(host);
    expect(probe.connected).toEqual([]);
  });

  it("refuse at connect time a name that resolved to a public address when it was saved", async () => {
    let calls = 0;
    restore = configureOutboundForTests({
      allow: "",
      resolve: async () => [{ address: calls++ === 0 ? "93.184.215.14" : "10.9.9.9", family: 4 }],
    });
    probe.clear();
    await checkOutboundUrl("http://rebind.test/hook", "url"); // no connection is made to check
    const r = await refusal("http://rebind.test/hook");
    expect(r.message).toContain("rebind.test resolves to 10.9.9.9, a private address");
    expect(calls).toBe(2);
    expect(probe.connected).toEqual([]);
  });

  it("answer 422 naming the rule when such a URL is saved", async () => {
    restore = configureOutboundForTests({ allow: "", resolve });
    for (const [host, kind] of RANGES) {
      const e = await checkOutboundUrl(`http://${host}/x`, "url").catch((err: unknown) => err);
      expect(e).toBeInstanceOf(HttpError);
      expect(e).toMatchObject({ status: 422, issues: [{ path: "url" }] });
      expect((e as HttpError).message).toContain(`url: ${bare(host)} is ${kind}`);
    }
    await expect(
      checkOutboundUrl("https://internal.test/v1", "target.endpoint.url"),
    ).rejects.toThrow(
      "target.endpoint.url: internal.test resolves to 10.1.2.3, a private address (10.0.0.0/8), " +
        "which server-side requests may not reach; allow it with RETUNE_OUTBOUND_ALLOW",
    );
    // A name that does not resolve yet is left to the connect-time check.
    await expect(checkOutboundUrl("https://nowhere.test/v1", "url")).resolves.toBeUndefined();
  });
});

describe("outbound requests, allowlisted", () => {
  it("reach an allowlisted address, by address and by a name that resolves to it", async () => {
    restore = configureOutboundForTests({ allow: "127.0.0.1", resolve });
    probe.clear();
    hits = 0;
    expect((await outboundFetch(`http://127.0.0.1:${port}/a`)).status).toBe(200);
    expect((await outboundFetch(`http://receiver.test:${port}/b`)).status).toBe(200);
    expect(hits).toBe(2);
    expect(probe.connected.every(isLoopback)).toBe(true);
    await expect(checkOutboundUrl(`http://127.0.0.1:${port}/a`, "url")).resolves.toBeUndefined();
    // Only what is listed: another loopback address and a private one stay refused.
    expect((await refusal(`http://127.0.0.2:${port}/a`)).message).toContain("a loopback address");
    expect((await refusal(`http://internal.test:${port}/a`)).message).toContain("10.1.2.3");
  });

  it("admit a host name entry, whatever it resolves to", async () => {
    restore = configureOutboundForTests({ allow: "receiver.test", resolve });
    expect((await outboundFetch(`http://receiver.test:${port}/c`)).status).toBe(200);
    expect((await refusal(`http://127.0.0.1:${port}/c`)).message).toContain("loopback");
  });

  it("never follow a redirect, even from an allowlisted host to an internal address", async () => {
    restore = configureOutboundForTests({ allow: "127.0.0.1", resolve });
    redirectTo = "http://169.254.169.254/latest/meta-data/";
    probe.clear();
    const res = await outboundFetch(`http://127.0.0.1:${port}/moved`, { method: "POST" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(redirectTo);
    expect(probe.connected.every(isLoopback)).toBe(true);
  });
});
