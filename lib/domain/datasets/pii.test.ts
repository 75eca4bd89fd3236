import { describe, expect, it } from "vitest";
import { findCard, findEmail, findPhone, maskDigits, maskEmail, type PiiMatch } from "./pii";

const text = (s: string, m: PiiMatch | null) => (m ? s.slice(m.start, m.end) : null);
const email = (s: string) => text(s, findEmail(s));
const phone = (s: string) => text(s, findPhone(s));
const card = (s: string) => text(s, findCard(s));

describe("findEmail", () => {
  it("finds addresses in prose", () => {
    expect(email("write to jane.doe+ml@mail.example.co.uk.")).toBe(
      "jane.doe+ml@mail.example.co.uk",
    );
    expect(email("(a_b@x-y.io)")).toBe("a_b@x-y.io");
    expect(email("first@bad second@good.org")).toBe("second@good.org");
  });

  it("ignores handles, decorators, hosts without a TLD and numeric TLDs", () => {
    expect(email("@channel ping @bob")).toBeNull();
    expect(email("user@localhost")).toBeNull();
    expect(email("x@1.2.3.4")).toBeNull();
    expect(email("@Component({}) class A")).toBeNull();
    expect(email("a@b.c")).toBeNull();
    expect(email(".@x.com")).toBeNull();
  });

  it("masks the local part", () => {
    const s = "mail jane@example.com";
    expect(maskEmail(s, findEmail(s)!)).toBe("j***@example.com");
  });
});

describe("findPhone", () => {
  it("finds international and North American numbers", () => {
    expect(phone("call +1 415 555 2671 now")).toBe("+1 415 555 2671");
    expect(phone("call +14155552671")).toBe("+14155552671");
    expect(phone("UK: +44 20 7946 0958")).toBe("+44 20 7946 0958");
    expect(phone("office (415) 555-2671.")).toBe("(415) 555-2671");
    expect(phone("415.555.2671")).toBe("415.555.2671");
    expect(phone("dial 1-415-555-2671")).toBe("1-415-555-2671");
    expect(phone("020 7946 0958")).toBe("020 7946 0958");
    expect(phone("06 12 34 56 78")).toBe("06 12 34 56 78");
  });

  it("does not take ids, timestamps, dates, decimals or IPs for phone numbers", () => {
    expect(phone("order 4155552671")).toBeNull();
    expect(phone("ts 1700000000123")).toBeNull();
    expect(phone("on 2024-01-15 at 10:30:00")).toBeNull();
    expect(phone("between 2024-01-15 and 2024-02-15")).toBeNull();
    expect(phone("pi is 3.14159265358979")).toBeNull();
    expect(phone("host 192.168.100.200")).toBeNull();
    expect(phone("id a716-446655440000")).toBeNull();
    expect(phone("uuid 550e8400-e29b-41d4-a716-446655440000")).toBeNull();
    expect(phone("sku AB4155552671")).toBeNull();
    expect(phone("4155552671abc 415-555-2671x")).toBeNull();
    expect(phone("+1 2")).toBeNull();
    expect(phone("+1234567890123456789")).toBeNull();
  });

  it("masks all but the last two digits", () => {
    const s = "(415) 555-2671";
    expect(maskDigits(s, findPhone(s)!, 2)).toBe("(•••) •••-••71");
  });
});

describe("findCard", () => {
  it("finds grouped and unbroken card numbers that pass Luhn", () => {
    expect(card("card 4111 1111 1111 1111 exp")).toBe("4111 1111 1111 1111");
    expect(card("card 4111-1111-1111-1111")).toBe("4111-1111-1111-1111");
    expect(card("amex 3782 822463 10005")).toBe("3782 822463 10005");
    expect(card('{"pan":"5555555555554444"}')).toBe("5555555555554444");
    expect(card("4111 1111 1111 1111 12 27")).toBe("4111 1111 1111 1111");
    expect(card("4111 1111 1111 1111 (visa)")).toBe("4111 1111 1111 1111");
  });

  it("rejects Luhn failures, timestamps, phone numbers and odd groupings", () => {
    expect(card("4111 1111 1111 1112")).toBeNull();
    expect(card("ts 1700000000004")).toBeNull(); // a millisecond timestamp that passes Luhn
    expect(card("ts 4000000000006")).toBe("4000000000006"); // the same shape in a card range
    expect(card("+4111111111111111")).toBeNull();
    expect(card("4111.1111.1111.1111")).toBeNull();
    expect(card("41 11 11 11 11 11 11 11")).toBeNull();
    expect(card("x4111111111111111")).toBeNull();
    expect(card("4111111111111111234567")).toBeNull();
  });

  it("masks all but the last four digits", () => {
    const s = "4111-1111-1111-1111";
    expect(maskDigits(s, findCard(s)!, 4)).toBe("••••-••••-••••-1111");
  });
});

describe("scanners on adversarial input", () => {
  // Each 1 MB; a backtracking regex would take minutes on some of these. No timing assertion:
  // finishing inside the default test timeout is the check.
  const MB = 1 << 20;
  const inputs: [string, string][] = [
    ["word characters with no @", "a".repeat(MB)],
    ["a@ repeated", "a@".repeat(MB / 2)],
    ["@ repeated", "@".repeat(MB)],
    ["a long local part before one @", `${"a.".repeat(MB / 2)}@`],
    ["a long domain without a TLD", `a@${"b-".repeat(MB / 2)}`],
    ["a@ and dots", "a@b.".repeat(MB / 4)],
    ["digits", "1".repeat(MB)],
    ["digit groups", "12 ".repeat(MB / 3)],
    ["digits and separators", "1-(".repeat(MB / 3)],
    ["plus signs", "+1".repeat(MB / 2)],
    ["alphanumeric", "a1".repeat(MB / 2)],
    ["spaced card-like groups", "4111 ".repeat(MB / 5)],
    ["nine-digit runs that just miss ten", "1 2 3 4 5 6 7 8 9 x".repeat(MB / 19)],
    ["email-like runs without a TLD", "a.b@c-d ".repeat(MB / 8)],
  ];
  for (const [name, input] of inputs) {
    it(`finishes on 1 MB of ${name}`, () => {
      findEmail(input);
      findPhone(input);
      findCard(input);
      expect(input.length).toBeGreaterThan(MB - 8);
    });
  }
});
