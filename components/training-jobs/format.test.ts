import { describe, expect, it } from "vitest";
import { formatDuration, formatGb, formatMetric, formatUsd, shellJoin } from "./format";

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

describe("shellJoin", () => {
  it("quotes only what a shell would split", () => {
    expect(shellJoin(["python", "/job/trainers/sft.py", "--spec", "/job/spec.json"])).toBe(
      "python /job/trainers/sft.py --spec /job/spec.json",
    );
    expect(shellJoin(["echo", "it's here", "a b"])).toBe(`echo 'it'\\''s here' 'a b'`);
  });
});
