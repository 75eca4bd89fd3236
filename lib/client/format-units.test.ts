import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatGb,
  formatMetric,
  formatShare,
  formatUsd,
  percentOf,
} from "./format-units";

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

describe("formatDuration", () => {
  it.each([
    [null, "—"],
    [42, "42 s"],
    [125, "2 min"],
    [3 * 3600 + 5 * 60 + 59, "3 h 05 min"],
    [2 * 86_400 + 4 * 3600 + 59 * 60, "2 d 4 h"],
  ])("%s s → %s", (s, text) => expect(formatDuration(s)).toBe(text));
});

describe("formatUsd", () => {
  it("shows cents, sub-cent amounts and nothing", () => {
    expect(formatUsd(12.4)).toBe("$12.40");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(null)).toBe("—");
  });
});

describe("formatGb and formatMetric", () => {
  it("keeps a readable precision", () => {
    expect(formatGb(22.345)).toBe("22.3 GB");
    expect(formatGb(1.1)).toBe("1.10 GB");
    expect(formatGb(0.0004)).toBe("<0.01 GB");
    expect(formatMetric(0.580312)).toBe("0.5803");
    expect(formatMetric(0.0003)).toBe("3.00e-4");
    expect(formatMetric(undefined)).toBe("—");
  });
});
