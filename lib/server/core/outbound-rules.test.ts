import { describe, expect, it } from "vitest";
import { EMPTY_ALLOW, hostAllowed, parseOutboundAllow, refusalOf } from "./outbound-rules";

describe("refusalOf", () => {
  it.each([
    ["127.0.0.1", "a loopback address", "127.0.0.0/8"],
    ["127.8.9.10", "a loopback address", "127.0.0.0/8"],
    ["10.0.0.5", "a private address", "10.0.0.0/8"],
    ["172.16.0.1", "a private address", "172.16.0.0/12"],
    ["172.31.255.254", "a private address", "172.16.0.0/12"],
    ["192.168.1.1", "a private address", "192.168.0.0/16"],
    ["169.254.169.254", "a link-local (cloud metadata) address", "169.254.0.0/16"],
    ["0.0.0.0", "an unspecified address", "0.0.0.0/8"],
    ["100.64.0.1", "a shared carrier-grade NAT address", "100.64.0.0/10"],
    ["::1", "a loopback address", "::1/128"],
    ["::", "an unspecified address", "::/128"],
    ["fc00::1", "a unique-local (private) address", "fc00::/7"],
    ["fd12:3456::1", "a unique-local (private) address", "fc00::/7"],
    ["fe80::1", "a link-local (cloud metadata) address", "fe80::/10"],
  ])("refuses %s as %s", (address, kind, range) => {
    expect(refusalOf(address, EMPTY_ALLOW)).toEqual({ address, kind, range });
  });

  it.each([
    ["::ffff:127.0.0.1", "127.0.0.0/8"],
    ["::ffff:10.1.2.3", "10.0.0.0/8"],
    ["::ffff:169.254.169.254", "169.254.0.0/16"],
    ["64:ff9b::a01:203", "10.0.0.0/8"],
    ["2002:c0a8:101::1", "192.168.0.0/16"],
    ["::10.0.0.1", "10.0.0.0/8"],
  ])("judges the IPv4 address an IPv6 one carries: %s", (address, range) => {
    const r = refusalOf(address, EMPTY_ALLOW);
    expect(r?.kind).toMatch(/^an IPv6 address carrying /);
    expect(r?.range).toBe(range);
  });

  it("allows global unicast, including an IPv6 address carrying a public IPv4 one", () => {
    for (const a of ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(refusalOf(a, EMPTY_ALLOW)).toBeNull();
  });

  it("admits what the allowlist lists, and nothing next to it", () => {
    const allow = parseOutboundAllow("10.20.0.0/16, 127.0.0.1 ::1 fd00::/8");
    expect(refusalOf("10.20.3.4", allow)).toBeNull();
    expect(refusalOf("::ffff:10.20.3.4", allow)).toBeNull();
    expect(refusalOf("127.0.0.1", allow)).toBeNull();
    expect(refusalOf("::1", allow)).toBeNull();
    expect(refusalOf("fd00::5", allow)).toBeNull();
    expect(refusalOf("10.21.0.1", allow)?.range).toBe("10.0.0.0/8");
    expect(refusalOf("127.0.0.2", allow)?.range).toBe("127.0.0.0/8");
    expect(refusalOf("fc00::5", allow)?.range).toBe("fc00::/7");
  });
});

describe("parseOutboundAllow", () => {
  it("reads CIDRs, addresses, host names and wildcard hosts", () => {
    const allow = parseOutboundAllow(" vllm.internal,*.corp.example ,[::1] ");
    expect(hostAllowed("VLLM.internal", allow)).toBe(true);
    expect(hostAllowed("a.b.corp.example", allow)).toBe(true);
    expect(hostAllowed("corp.example", allow)).toBe(false);
    expect(hostAllowed("vllm.internal.evil.test", allow)).toBe(false);
    expect(allow.cidrs).toHaveLength(1);
  });

  it("names an entry it cannot read", () => {
    expect(() => parseOutboundAllow("10.0.0.0/33")).toThrow('"10.0.0.0/33" is not a CIDR');
    expect(() => parseOutboundAllow("vllm:8000")).toThrow('"vllm:8000" is neither');
  });
});
