import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatShare, percentOf } from "./format-units";

describe("format-units", () => {
  it("formats bytes in powers of 1024", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(1.4 * 1024 * 1024)).toBe("1.4 MB");
    expect(formatBytes(250 * 1024 * 1024)).toBe("250 MB");
    expect(formatBytes(-1)).toBe("—");
  });

  it("never rounds a partial share to 0% or 100%", () => {
    expect(formatShare(0)).toBe("0%");
    expect(formatShare(0.004)).toBe("0.4%");
    expect(formatShare(398 / 400)).toBe("99.5%");
    expect(formatShare(0.9999)).toBe("99.9%");
    expect(formatShare(0.426)).toBe("43%");
    expect(formatShare(1)).toBe("100%");
  });

  it("computes a bounded percentage", () => {
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(5, 0)).toBe(0);
    expect(percentOf(300, 200)).toBe(100);
    expect(formatCount(1234567)).toBe("1,234,567");
  });
});
