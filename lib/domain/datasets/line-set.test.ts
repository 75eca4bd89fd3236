import { describe, expect, it } from "vitest";
import { LineSet } from "./line-set";

describe("LineSet", () => {
  it("adds, counts distinct lines and lists them in order", () => {
    const s = new LineSet();
    expect(s.add(5)).toBe(true);
    expect(s.add(5)).toBe(false);
    for (const l of [31, 32, 1, 63, 64, 100_000]) s.add(l);
    expect(s.size).toBe(7);
    expect(s.has(31)).toBe(true);
    expect(s.has(30)).toBe(false);
    expect(s.has(10_000_000)).toBe(false);
    expect([...s.toArray()]).toEqual([1, 5, 31, 32, 63, 64, 100_000]);
  });

  it("handles bit 31 of a word and line numbers past 2^31", () => {
    const s = new LineSet();
    s.add(31);
    s.add(95);
    expect([...s.toArray()]).toEqual([31, 95]);
    const big = new LineSet();
    big.add(2 ** 24 + 31);
    expect([...big.toArray()]).toEqual([2 ** 24 + 31]);
  });
});
