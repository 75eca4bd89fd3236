import { describe, expect, it } from "vitest";
import type { Monitor } from "@/lib/schemas/monitors";
import {
  changeMetric,
  formToCreateBody,
  formToUpdateBody,
  MONITOR_FIELD_KEYS,
  monitorToForm,
  needsErrorBanner,
  newMonitorForm,
} from "./monitor-form";

const MONITOR: Monitor = {
  id: "mon_1",
  modelId: "mdl_1",
  modelName: "support tool caller",
  name: "tool errors",
  metric: "tool_call_error_rate",
  window: "24h",
  threshold: 0.1,
  comparator: "gt",
  minSamples: 100,
  cooldown: "1d",
  interval: "15m",
  action: "retrain",
  enabled: true,
  state: "OK",
  lastValue: 0.02,
  lastCheckedAt: "2026-01-01T00:00:00.000Z",
  lastBreachAt: null,
  lastActionAt: null,
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("changeMetric", () => {
  it("brings the metric's comparator and starting threshold while they are untouched", () => {
    const form = changeMetric(newMonitorForm("mdl_1"), "eval_score");
    expect(form).toMatchObject({ metric: "eval_score", comparator: "lt", threshold: "0.7" });
    expect(changeMetric(form, "tool_psi")).toMatchObject({ comparator: "gt", threshold: "0.25" });
  });

  it("keeps a comparator or threshold the person changed", () => {
    const tuned = { ...newMonitorForm("mdl_1"), comparator: "gte" as const, threshold: "0.03" };
    expect(changeMetric(tuned, "failure_rate")).toMatchObject({
      metric: "failure_rate",
      comparator: "gte",
      threshold: "0.03",
    });
  });
});

describe("formToCreateBody", () => {
  it("builds the API body, leaving out a blank name and interval", () => {
    const result = formToCreateBody(newMonitorForm("mdl_1"));
    expect(result).toEqual({
      ok: true,
      body: {
        model: "mdl_1",
        metric: "tool_call_error_rate",
        window: "24h",
        threshold: 0.1,
        comparator: "gt",
        minSamples: 100,
        cooldown: "1d",
        action: "alert",
        enabled: true,
      },
    });
  });

  it("keys errors by field: no model, bad numbers, bad durations", () => {
    const result = formToCreateBody({
      ...newMonitorForm(""),
      threshold: "ten",
      minSamples: "1.5",
      window: "a day",
      interval: "5 minutes",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ["interval", "minSamples", "model", "threshold", "window"].sort(),
    );
    expect(result.errors.threshold).toBe("a number");
  });
});

describe("monitorToForm / formToUpdateBody", () => {
  it("round-trips a stored monitor's settings", () => {
    const result = formToUpdateBody(monitorToForm(MONITOR));
    expect(result).toEqual({
      ok: true,
      body: {
        name: "tool errors",
        window: "24h",
        threshold: 0.1,
        comparator: "gt",
        minSamples: 100,
        cooldown: "1d",
        interval: "15m",
        action: "retrain",
      },
    });
  });

  it("refuses a minimum below one sample", () => {
    const result = formToUpdateBody({ ...monitorToForm(MONITOR), minSamples: "0" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toHaveProperty("minSamples");
  });
});

describe("needsErrorBanner", () => {
  it("is needed when the API named no field, or a field the form does not draw", () => {
    expect(needsErrorBanner({}, MONITOR_FIELD_KEYS)).toBe(true);
    expect(needsErrorBanner({ model: "unknown model" }, MONITOR_FIELD_KEYS)).toBe(true);
    expect(needsErrorBanner({ window: "too long" }, MONITOR_FIELD_KEYS)).toBe(false);
  });
});
