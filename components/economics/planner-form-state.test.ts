import { describe, expect, it } from "vitest";
import { planEconomics } from "@/lib/domain/economics/planner";
import {
  DEFAULT_LOADED_USD_PER_ENGINEER_WEEK,
  projectEffort,
  workedCasePlannerInput,
} from "@/lib/domain/economics/presets";
import { SEED_PRICES } from "@/lib/domain/economics/prices";
import {
  applyShape,
  blankPlannerForm,
  formFromInput,
  parsePlannerForm,
  pricePool,
  setField,
} from "./planner-form-state";

const blank = () => blankPlannerForm(SEED_PRICES, DEFAULT_LOADED_USD_PER_ENGINEER_WEEK);

describe("the planner form", () => {
  it("is empty until volume and tokens are entered", () => {
    expect(parsePlannerForm(blank(), SEED_PRICES)).toEqual({ state: "empty" });
    const partly = { ...blank(), invocationsPerMonth: "1000000", tokensIn: "800" };
    expect(parsePlannerForm(partly, SEED_PRICES)).toEqual({ state: "empty" });
  });

  it("gives back the worked case's planner input, and so its numbers", () => {
    const input = workedCasePlannerInput();
    const parsed = parsePlannerForm(formFromInput(input, "hybrid_system"), SEED_PRICES);
    expect(parsed).toEqual({ state: "ready", input });
    if (parsed.state !== "ready") return;
    expect(planEconomics(parsed.input).monthly.frontierOnlyUsd).toBeCloseTo(35_010, 6);
  });

  it("reads the slider as a share, and thousands separators as numbers", () => {
    const form = {
      ...formFromInput(workedCasePlannerInput(), "hybrid_system"),
      invocationsPerMonth: "3,000,000",
      routineSharePct: 65,
    };
    const parsed = parsePlannerForm(form, SEED_PRICES);
    expect(parsed.state).toBe("ready");
    if (parsed.state !== "ready") return;
    expect(parsed.input.invocationsPerMonth).toBe(3_000_000);
    expect(parsed.input.routineShare).toBe(0.65);
  });

  it("names the field of each bad input", () => {
    const form = {
      ...formFromInput(workedCasePlannerInput(), "hybrid_system"),
      tokensOut: "lots",
      weeks: "-2",
      horizonMonths: "0",
      frontierId: "nobody/nothing",
    };
    const parsed = parsePlannerForm(form, SEED_PRICES);
    expect(parsed.state).toBe("invalid");
    if (parsed.state !== "invalid") return;
    expect(Object.keys(parsed.errors).sort()).toEqual(
      ["frontierId", "horizonMonths", "tokensOut", "weeks"].sort(),
    );
    expect(parsed.errors.tokensOut).toBe("enter a number");
  });

  it("fills the effort from a project shape, and turns custom when a figure is typed over", () => {
    const form = applyShape(blank(), "multi_tenant", "high");
    const high = projectEffort("multi_tenant", "high", DEFAULT_LOADED_USD_PER_ENGINEER_WEEK);
    expect([form.engineers, form.weeks, form.computeUsd]).toEqual(
      [high.engineers, high.weeks, high.computeUsd].map(String),
    );
    expect(form.shape).toBe("multi_tenant");
    expect(setField(form, "weeks", "30").shape).toBe("custom");
    expect(setField(form, "tokensIn", "30").shape).toBe("multi_tenant");
  });

  it("offers a preset's price the team's list lacks, after the team's own", () => {
    const teamList = SEED_PRICES.filter((p) => p.id !== "anthropic/claude-3-5-sonnet");
    const sonnet = SEED_PRICES.find((p) => p.id === "anthropic/claude-3-5-sonnet")!;
    const pool = pricePool(teamList, [sonnet, teamList[0]!]);
    expect(pool).toEqual([...teamList, sonnet]);
    const form = formFromInput(workedCasePlannerInput(), "hybrid_system");
    expect(parsePlannerForm(form, teamList).state).toBe("invalid");
    expect(parsePlannerForm(form, pool).state).toBe("ready");
  });
});
