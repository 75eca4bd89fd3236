import { describe, expect, it } from "vitest";
import { DuplicateTracker, duplicateFinding } from "./duplicates";
import { hashString } from "./example-hash";

describe("DuplicateTracker", () => {
  it("returns the first line of a repeated hash", () => {
    const t = new DuplicateTracker();
    expect(t.seen(hashString("a"), 1)).toBeNull();
    expect(t.seen(hashString("b"), 2)).toBeNull();
    expect(t.seen(hashString("a"), 3)).toBe(1);
    expect(t.seen(hashString("a"), 4)).toBe(1);
    expect(t.size).toBe(2);
  });

  it("keeps hashes that differ only in the high bits apart", () => {
    const t = new DuplicateTracker();
    expect(t.seen(5, 1)).toBeNull();
    expect(t.seen(5 + 2 ** 32, 2)).toBeNull();
    expect(t.seen(5 + 2 ** 40, 3)).toBeNull();
    expect(t.seen(2 ** 53 - 1, 4)).toBeNull();
    expect(t.seen(5 + 2 ** 32, 5)).toBe(2);
    expect(t.seen(2 ** 53 - 1, 6)).toBe(4);
    expect(t.seen(0, 7)).toBeNull();
    expect(t.seen(0, 8)).toBe(7);
  });

  it("grows past its initial capacity without losing entries", () => {
    const t = new DuplicateTracker();
    const n = 50_000;
    for (let i = 1; i <= n; i++) expect(t.seen(hashString(`row ${i}`), i)).toBeNull();
    for (let i = 1; i <= n; i += 997) expect(t.seen(hashString(`row ${i}`), n + i)).toBe(i);
    expect(t.size).toBe(n);
  });

  it("builds the duplicate_example warning", () => {
    expect(duplicateFinding(9, 3)).toEqual({
      line: 9,
      severity: "warning",
      code: "duplicate_example",
      message: "same as line 3; duplicates weigh one example more than the others in training",
    });
  });
});
