import { describe, expect, it } from "vitest";
import { DEFAULT_SCORING_PROFILE, SCORING_PROFILES } from "@/lib/schemas/eval-metrics";
import { PROFILE_DIFFERENCES, PROFILE_SUMMARY } from "./profile";

describe("scoring profiles", () => {
  it("document each profile, the default first in words", () => {
    for (const p of SCORING_PROFILES) {
      expect(PROFILE_SUMMARY[p]).toMatch(new RegExp(`^${p}`));
      expect(PROFILE_DIFFERENCES[p].length).toBeGreaterThan(0);
    }
    expect(PROFILE_SUMMARY[DEFAULT_SCORING_PROFILE]).toContain("(default)");
  });
});
