import { describe, expect, it } from "vitest";
import { planEconomics } from "@/lib/domain/economics/planner";
import { workedCasePlannerInput } from "@/lib/domain/economics/presets";
import { firstCheaper, routineShareSummary, volumeSummary } from "./sensitivity-summary";

describe("the sensitivity charts' words", () => {
  it("follow the routine share", () => {
    const at80 = workedCasePlannerInput();
    const at60 = { ...at80, routineShare: 0.6 };
    const [r80, r60] = [planEconomics(at80), planEconomics(at60)];
    expect(routineShareSummary(at80, r80)).toContain("At 80% routine");
    expect(routineShareSummary(at60, r60)).toContain("At 60% routine");
    expect(volumeSummary(at80, r80)).not.toBe(volumeSummary(at60, r60));
    // The worked case's run bill at list prices: 3M × $0.01167 = $35,010 frontier-only.
    expect(volumeSummary(at80, r80)).toContain("frontier-only $35,010");
  });

  it("say from which routine share the hybrid's recurring cost is no higher", () => {
    const input = workedCasePlannerInput();
    const points = planEconomics(input).sensitivity.byRoutineShare;
    const from = firstCheaper(points);
    expect(from).not.toBeNull();
    const at = points.find((p) => p.x === from)!;
    expect(at.hybridUsd).toBeLessThanOrEqual(at.frontierOnlyUsd);
    const before = points.filter((p) => p.x < from!);
    expect(before.every((p) => p.hybridUsd > p.frontierOnlyUsd)).toBe(true);
  });
});
