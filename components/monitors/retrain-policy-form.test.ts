import { describe, expect, it } from "vitest";
import { QUARTERLY_CRON, type RetrainPolicy } from "@/lib/schemas/retrain";
import { describeSchedule, formToPolicyBody, policyToForm } from "./retrain-policy-form";

const POLICY: RetrainPolicy = {
  id: "rp_1",
  modelId: "mdl_1",
  enabled: true,
  schedule: "0 6 * * 1",
  timezone: "Europe/Berlin",
  datasetRecipe: {
    days: 30,
    outcomes: ["success", "failure"],
    correctedBy: ["human"],
    baseDatasetVersionId: "dv_1",
    maxSyntheticShare: 0.3,
    maxTraces: 10_000,
    minTraces: 50,
  },
  trainingTemplate: { learningRate: 0.0002 },
  autoPromote: true,
  minNewTraces: 500,
  gpuBudgetUsd: 120,
  budgetPeriodDays: 30,
  nextRunAt: "2026-01-05T05:00:00.000Z",
  lastRunAt: null,
  spentUsd: 0,
  updatedAt: "2026-01-01T00:00:00.000Z",
};

describe("describeSchedule", () => {
  it("names the presets, whatever the spacing, and nothing else", () => {
    expect(describeSchedule(QUARTERLY_CRON)).toMatch(/^Quarterly: 06:00 on the 1st of January/);
    expect(describeSchedule(" 0 6  * * 1 ")).toBe("Weekly: 06:00 every Monday");
    expect(describeSchedule("*/5 * * * *")).toBeNull();
  });
});

describe("policyToForm / formToPolicyBody", () => {
  it("starts from the API's defaults: quarterly, UTC, no budget", () => {
    const form = policyToForm(null);
    expect(form).toMatchObject({
      schedule: QUARTERLY_CRON,
      timezone: "UTC",
      enabled: true,
      autoPromote: false,
      maxSyntheticPercent: "50",
      gpuBudgetUsd: "",
    });
    const result = formToPolicyBody(form, null);
    expect(result.ok && result.body.gpuBudgetUsd).toBeNull();
  });

  it("round-trips a stored policy, synthetic share as a percentage, template kept", () => {
    const form = policyToForm(POLICY);
    expect(form.maxSyntheticPercent).toBe("30");
    const result = formToPolicyBody(form, POLICY.trainingTemplate);
    expect(result).toEqual({
      ok: true,
      body: {
        schedule: "0 6 * * 1",
        timezone: "Europe/Berlin",
        datasetRecipe: POLICY.datasetRecipe,
        trainingTemplate: { learningRate: 0.0002 },
        autoPromote: true,
        enabled: true,
        minNewTraces: 500,
        gpuBudgetUsd: 120,
        budgetPeriodDays: 30,
      },
    });
  });

  it("keys errors like the API's issue paths", () => {
    const result = formToPolicyBody(
      {
        ...policyToForm(null),
        days: "0",
        maxSyntheticPercent: "150",
        minNewTraces: "many",
        outcomes: [],
        correctedBy: [],
      },
      null,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveProperty("datasetRecipe.days");
    expect(result.errors).toHaveProperty("datasetRecipe.maxSyntheticShare");
    expect(result.errors).toHaveProperty("datasetRecipe.outcomes");
    expect(result.errors.minNewTraces).toBe("a number");
  });
});
