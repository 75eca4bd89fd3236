/**
 * Which addresses server-side requests (webhook deliveries, inference endpoints) may reach:
 * the rules, without I/O. `outbound.ts` applies them to every address a connection is about to
 * use. Address classification is ipaddr.js's (its special-purpose range tables, RFC 6890 and
 * successors); anything that is not plain global unicast is refused unless the deployment's
 * allowlist (RETUNE_OUTBOUND_ALLOW) admits it.
 */
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/** RETUNE_OUTBOUND_ALLOW, parsed: CIDRs (a bare address is a /32 or /128) and host names. */
export type OutboundAllow = {
  cidrs: Cidr[];
  /** Exact host names, lower case. */
  hosts: Set<string>;
  /** From `*.corp.example` entries: `.corp.example` (subdomains only). */
  suffixes: string[];
  raw: string;
};

export const ALLOW_SETTING = "RETUNE_OUTBOUND_ALLOW";

const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Parses the allowlist setting: comma- (or space-) separated entries, each a CIDR
 * (`10.0.0.0/8`, `fd00::/8`), an address, a host name (`vllm.internal`) or a wildcard host
 * (`*.corp.example`). Throws naming the first entry it cannot read.
 */
export function parseOutboundAllow(raw: string): OutboundAllow {
  const allow: OutboundAllow = { cidrs: [], hosts: new Set(), suffixes: [], raw };
  for (const entry of raw.split(/[\s,]+/).filter(Boolean)) {
    const e = entry.toLowerCase().replace(/^\[(.*)\]$/, "$1");
    if (e.includes("/")) {
      if (!ipaddr.isValidCIDR(e)) throw new Error(`"${entry}" is not a CIDR (e.g. 10.0.0.0/8)`);
      allow.cidrs.push(ipaddr.parseCIDR(e));
    } else if (ipaddr.isValid(e) && /^[0-9a-f:.]+$/.test(e)) {
      const a = ipaddr.parse(e);
      allow.cidrs.push([a, a.kind() === "ipv4" ? 32 : 128]);
    } else if (HOST_NAME.test(e)) {
      if (e.startsWith("*.")) allow.suffixes.push(e.slice(1));
      else allow.hosts.add(e);
    } else {
      throw new Error(`"${entry}" is neither a CIDR, an address nor a host name`);
    }
  }
  return allow;
}

export const EMPTY_ALLOW: OutboundAllow = parseOutboundAllow("");

/** True when the allowlist names this host (the URL's host name, not an address). */
export function hostAllowed(hostname: string, allow: OutboundAllow): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return allow.hosts.has(h) || allow.suffixes.some((s) => h.endsWith(s));
}

/** Why an address is refused: which address, what kind, which range. */
export type Refusal = { address: string; kind: string; range: string | null };

const KIND_TEXT: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a unique-local (private) address",
  linkLocal: "a link-local (cloud metadata) address",
  unspecified: "an unspecified address",
  carrierGradeNat: "a shared carrier-grade NAT address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  deprecatedSiteLocal: "a site-local address",
  reserved: "a reserved address",
};

/** The special-purpose CIDR of `range` that `a` falls in (ipaddr.js's own table). */
function cidrOf(a: Address, range: string): string | null {
  const table = (a as unknown as { SpecialRanges: Record<string, Cidr | Cidr[]> }).SpecialRanges;
  const entry = table[range];
  if (!entry) return null;
  const list: Cidr[] = Array.isArray(entry[0]) ? (entry as Cidr[]) : [entry as Cidr];
  const hit = list.find(([net, bits]) => a.match(net, bits));
  return hit ? `${hit[0].toString()}/${hit[1]}` : null;
}

/**
 * The IPv4 address an IPv6 one carries (mapped, translated, NAT64, 6to4, or the deprecated
 * IPv4-compatible ::a.b.c.d, which ipaddr.js files under unicast), if it carries one.
 */
function embeddedIPv4(a: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const b = a.toByteArray();
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // NAT64: only the well-known 64:ff9b::/96 is unwrapped; the local-use /48 stays refused.
  const nat64 = range === "rfc6052" && zero(4, 12);
  const compatible = range === "unicast" && zero(0, 12);
  if (compatible || nat64 || range === "ipv4Mapped" || range === "rfc6145")
    return new ipaddr.IPv4(b.slice(12, 16));
  if (range === "6to4") return new ipaddr.IPv4(b.slice(2, 6));
  return null;
}

function inAllowlist(a: Address, allow: OutboundAllow): boolean {
  return allow.cidrs.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
}

/**
 * Null when a connection to `address` is allowed; else why not. Plain global unicast is
 * allowed; every special-purpose range is refused (an IPv6 address that carries an IPv4 one is
 * judged by the IPv4 one as well), unless `allow` lists the address.
 */
export function refusalOf(address: string, allow: OutboundAllow): Refusal | null {
  if (!ipaddr.isValid(address)) return { address, kind: "not an IP address", range: null };
  const a = ipaddr.parse(address);
  if (inAllowlist(a, allow)) return null;
  const range = a.range();
  if (a.kind() === "ipv6") {
    const v4 = embeddedIPv4(a as ipaddr.IPv6, range);
    if (v4) {
      if (inAllowlist(v4, allow)) return null;
      const inner = refusalOf(v4.toString(), allow);
      return inner
        ? {
            address,
            kind: `an IPv6 address carrying ${v4.toString()}, ${inner.kind}`,
            range: inner.range,
          }
        : null;
    }
  }
  if (range === "unicast") return null;
  return {
    address,
    kind: KIND_TEXT[range] ?? `a special-purpose address (${range})`,
    range: cidrOf(a, range),
  };
}
