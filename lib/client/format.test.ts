import { describe, expect, it } from "vitest";
import { formatAgo } from "./format";

describe("formatAgo", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  const ago = (ms: number) => formatAgo(new Date(now - ms).toISOString(), now);

  it("rounds to the largest whole unit", () => {
    expect(ago(2_000)).toBe("just now");
    expect(ago(42_000)).toBe("42 s ago");
    expect(ago(5 * 60_000 + 10_000)).toBe("5 min ago");
    expect(ago(3 * 3_600_000)).toBe("3 h ago");
    expect(ago(2 * 86_400_000 + 5)).toBe("2 d ago");
  });
});
