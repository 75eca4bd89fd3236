/**
 * Every server-side request to a URL a team configured (webhook deliveries, OpenAI-compatible
 * inference endpoints of eval runs) goes through `outboundFetch`, so none reaches loopback,
 * private, link-local (cloud metadata) or other special-purpose addresses unless
 * RETUNE_OUTBOUND_ALLOW admits them (rules: `outbound-rules.ts`).
 *
 * The check runs where the connection is made, on the addresses it is about to use: an undici
 * Agent whose connector judges an IP-literal host before opening a socket, and hands `net` /
 * `tls` a `lookup` that resolves the name, judges every address and passes on only those it
 * judged. A name that resolved to a public address when the URL was saved and to 10.0.0.5 now
 * (DNS rebinding) is refused at connect time, before any socket exists. Redirects are never
 * followed (`redirect: "manual"`): callers treat a 3xx as a failure that names its Location.
 *
 * `checkOutboundUrl` applies the same rules when a URL is saved, for a 422 that names the rule.
 */
import dns from "node:dns";
import net, { type LookupFunction } from "node:net";
import { Agent, buildConnector, fetch, type RequestInit, type Response } from "undici";
import { env } from "./env";
import { HttpError } from "./errors";
import {
  ALLOW_SETTING,
  hostAllowed,
  type OutboundAllow,
  parseOutboundAllow,
  type Refusal,
  refusalOf,
} from "./outbound-rules";

/** Resolves a host name to every address it has (getaddrinfo, like `net` does by default). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

/** "internal.test resolves to 10.1.2.3, a private address (10.0.0.0/8)" or "127.0.0.1 is …". */
function refusalSentence(hostname: string, r: Refusal): string {
  const range = r.range ? ` (${r.range})` : "";
  const subject =
    hostname === r.address ? `${hostname} is` : `${hostname} resolves to ${r.address},`;
  return `${subject} ${r.kind}${range}, which server-side requests may not reach; allow it with ${ALLOW_SETTING}`;
}

/** A refused destination. `code` lets callers tell it from a network error. */
export class OutboundRefusedError extends Error {
  readonly code = "OUTBOUND_REFUSED";
  constructor(
    readonly refusal: Refusal,
    readonly hostname: string,
  ) {
    super(refusalSentence(hostname, refusal));
    this.name = "OutboundRefusedError";
  }
}

type Overrides = { resolve?: Resolver; allow?: OutboundAllow };
let overrides: Overrides = {};

/**
 * Tests only: swap the resolver (map a test host name to 10.1.2.3 without DNS) and the allowlist
 * (the integration env allows loopback for its receivers). Pooled connections are dropped, so
 * the next request connects, and is judged, again. Returns the function that restores.
 */
export function configureOutboundForTests(o: { resolve?: Resolver; allow?: string }): () => void {
  const before = overrides;
  overrides = {
    ...overrides,
    ...(o.resolve ? { resolve: o.resolve } : {}),
    ...(o.allow !== undefined ? { allow: parseOutboundAllow(o.allow) } : {}),
  };
  dropPooledConnections();
  return () => {
    overrides = before;
    dropPooledConnections();
  };
}

const allowlist = (): OutboundAllow => overrides.allow ?? env().RETUNE_OUTBOUND_ALLOW;
const resolver = (): Resolver => overrides.resolve ?? systemResolver;

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1");

/**
 * The addresses `hostname` may be connected to: all of them, or a refusal naming the first
 * refused one (a name with one internal address among public ones is refused as a whole).
 */
async function judge(hostname: string): Promise<{ address: string; family: number }[]> {
  const host = bare(hostname);
  const allow = allowlist();
  const family = net.isIP(host);
  if (family) {
    const r = hostAllowed(host, allow) ? null : refusalOf(host, allow);
    if (r) throw new OutboundRefusedError(r, host);
    return [{ address: host, family }];
  }
  const addresses = await resolver()(host);
  if (!hostAllowed(host, allow)) {
    for (const a of addresses) {
      const r = refusalOf(a.address, allow);
      if (r) throw new OutboundRefusedError(r, host);
    }
  }
  return addresses;
}

/** `net`'s lookup hook: the last step before a socket connects, so its answer is what is used. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  judge(hostname).then(
    (all) => {
      const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
      const usable = wanted ? all.filter((a) => a.family === wanted) : all;
      if (usable.length === 0) {
        const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: "ENOTFOUND",
          hostname,
        });
        return callback(e, "", 0);
      }
      if (options.all) return (callback as (e: null, a: typeof usable) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    },
    (e: Error) => callback(e as NodeJS.ErrnoException, "", 0),
  );
};

function guardedConnector(): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup });
  return (opts, callback) => {
    // `net` skips the lookup hook for an IP literal: judge it here, before any socket.
    const host = bare(opts.hostname);
    if (net.isIP(host)) {
      const allow = allowlist();
      const r = hostAllowed(host, allow) ? null : refusalOf(host, allow);
      if (r) {
        queueMicrotask(() => callback(new OutboundRefusedError(r, host), null));
        return;
      }
    }
    connect(opts, callback);
  };
}

let agent: Agent | undefined;
function outboundAgent(): Agent {
  agent ??= new Agent({ connect: guardedConnector() });
  return agent;
}

function dropPooledConnections(): void {
  const old = agent;
  agent = undefined;
  void old?.destroy().catch(() => {});
}

/**
 * `fetch` for team-configured URLs: refused destinations fail with an error whose `cause` is an
 * OutboundRefusedError, and redirects are returned, never followed.
 */
export function outboundFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: "manual", dispatcher: outboundAgent() });
}

/** The refusal inside a failed `outboundFetch`, if that is why it failed. */
export function refusalIn(e: unknown): OutboundRefusedError | null {
  for (let x: unknown = e, depth = 0; x && depth < 4; depth++) {
    if (x instanceof OutboundRefusedError) return x;
    x = (x as { cause?: unknown }).cause;
  }
  return null;
}

/** Longest wait for DNS when a URL is saved; an unanswered name is left to connect time. */
const SAVE_LOOKUP_MS = 5_000;

/**
 * When a URL is saved: a 422 at `path` when its host is, or now resolves to, a refused address.
 * A name that does not resolve (yet) is accepted: the connect-time check still applies.
 */
export async function checkOutboundUrl(url: string, path: string): Promise<void> {
  const host = bare(new URL(url).hostname);
  // Settled either way, so a lookup that outlives the wait never rejects unhandled.
  const judged = judge(host).then(
    () => null,
    (e: unknown) => e,
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), SAVE_LOOKUP_MS);
  });
  const outcome = await Promise.race([judged, waited]).finally(() => clearTimeout(timer));
  if (outcome instanceof OutboundRefusedError)
    throw new HttpError(422, "outbound_refused", `${path}: ${outcome.message}`, [
      { path, message: outcome.message },
    ]);
}
