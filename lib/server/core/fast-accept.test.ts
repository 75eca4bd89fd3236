import { describe, expect, it } from "vitest";
import { z } from "zod";
import { mulberry32 } from "@/lib/domain/prng";
import { telemetryEventSchema } from "@/lib/schemas/telemetry";
import { fastAcceptor, NoFastPathError } from "./fast-accept";

const accept = fastAcceptor(telemetryEventSchema);

const event = (over: Record<string, unknown> = {}) => ({
  id: "e-1",
  timestamp: "2026-12-01T10:00:00.123Z",
  model: "support bot",
  version: 3,
  outcome: "success",
  toolCallValid: true,
  escalated: false,
  latencyMs: 412.5,
  costUsd: 0.0004,
  tool: "refund",
  intent: "refund_request",
  feedback: "fine",
  ...over,
});

/** The contract: whatever the fast path accepts, zod accepts and returns unchanged. */
function agrees(value: unknown) {
  const fast = accept(value);
  const slow = telemetryEventSchema.safeParse(value);
  if (fast) {
    expect(slow.success, JSON.stringify(value)).toBe(true);
    expect(slow.data).toEqual(value);
  }
  return { fast, zod: slow.success };
}

describe("fastAcceptor", () => {
  it("accepts ordinary events, as zod does", () => {
    expect(agrees(event())).toEqual({ fast: true, zod: true });
    const minimal = { timestamp: "2026-12-01T10:00:00+02:00", model: "m", outcome: "failure" };
    expect(agrees(minimal)).toEqual({ fast: true, zod: true });
  });

  it("declines a label zod would trim, and zod trims it", () => {
    expect(agrees(event({ tool: " refund " }))).toEqual({ fast: false, zod: true });
    expect(telemetryEventSchema.parse(event({ tool: " refund " })).tool).toBe("refund");
    // Blank: zod trims it to "" and refuses it (min 1); the fast path must not accept it either.
    expect(agrees(event({ intent: "   " }))).toEqual({ fast: false, zod: false });
  });

  it("counts string length in code points, as zod does", () => {
    const emoji = "😀"; // one code point, two UTF-16 units
    expect(agrees(event({ feedback: emoji.repeat(2000) }))).toEqual({ fast: true, zod: true });
    expect(agrees(event({ feedback: emoji.repeat(2001) }))).toEqual({ fast: false, zod: false });
    expect(agrees(event({ model: "x".repeat(200) }))).toEqual({ fast: true, zod: true });
    expect(agrees(event({ model: "x".repeat(201) }))).toEqual({ fast: false, zod: false });
  });

  it("declines what zod refuses", () => {
    for (const bad of [
      event({ extra: 1 }),
      event({ version: 1.5 }),
      event({ version: 0 }),
      event({ latencyMs: -1 }),
      event({ costUsd: 2_000_000 }),
      event({ outcome: "ok" }),
      event({ timestamp: "2026-12-01 10:00:00" }),
      event({ timestamp: "2026-02-30T10:00:00Z" }),
      event({ escalated: "false" }),
      event({ model: "" }),
      event({ latencyMs: Number.NaN }),
      event({ costUsd: Number.POSITIVE_INFINITY }),
      null,
      [],
      "event",
    ]) {
      expect(agrees(bad)).toEqual({ fast: false, zod: false });
    }
  });

  it("never accepts what zod refuses or changes, over 20,000 mutated events", () => {
    const rand = mulberry32(1205);
    const values: unknown[] = [
      "",
      " ",
      " x",
      "x ",
      "\u00a0x",
      "x\u2028",
      "😀",
      "x".repeat(199),
      "x".repeat(200),
      "x".repeat(201),
      "😀".repeat(200),
      "😀".repeat(201),
      "2026-12-01T10:00:00Z",
      "2026-12-01T10:00:00.5-05:30",
      "2026-12-01T10:00:00",
      "success",
      "failure",
      0,
      -0,
      1,
      -1,
      1.5,
      2 ** 53,
      86_400_000,
      86_400_001,
      1e-9,
      true,
      false,
      null,
      {},
      [],
    ];
    const keys = Object.keys(event());
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const e: Record<string, unknown> = event();
      for (let k = Math.floor(rand() * 3); k > 0; k--) {
        const key = rand() < 0.1 ? "unknownKey" : keys[Math.floor(rand() * keys.length)]!;
        if (rand() < 0.15) delete e[key];
        else e[key] = values[Math.floor(rand() * values.length)];
      }
      if (agrees(e).fast) fast++;
    }
    // Not vacuous: a share of the mutations stay valid and take the fast path.
    expect(fast).toBeGreaterThan(1_000);
  });

  it("declines unknown keys on a stripping object, which zod would drop", () => {
    const s = z.object({ a: z.string() });
    const acceptA = fastAcceptor(s);
    expect(acceptA({ a: "x" })).toBe(true);
    expect(acceptA({ a: "x", b: 1 })).toBe(false);
    expect(s.parse({ a: "x", b: 1 })).toEqual({ a: "x" });
  });

  it("refuses to build for what JSON Schema cannot state", () => {
    const cases: z.ZodType[] = [
      z.object({ a: z.string().refine((s) => s !== "x") }),
      z.object({ a: z.string().transform((s) => s.length) }),
      z.object({ a: z.number().default(1) }),
      z.object({ a: z.url() }),
      z.object({ a: z.date() }),
    ];
    for (const s of cases) expect(() => fastAcceptor(s)).toThrow(Error);
    expect(() => fastAcceptor(z.object({ a: z.number().default(1) }))).toThrow(NoFastPathError);
  });
});
