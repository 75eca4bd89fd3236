import { describe, expect, it } from "vitest";
import { formToPolicy, NEW_CONDITION, policyToForm } from "./gate-policy-form";

describe("policyToForm / formToPolicy", () => {
  it("starts from the schema defaults", () => {
    const form = policyToForm(null);
    expect(form).toMatchObject({
      conditions: [],
      minCases: "50",
      requireApproval: false,
      approverRoles: ["OWNER", "ADMIN"],
      autoPromoteTo: "",
    });
  });

  it("round-trips a policy with relative, slice and CI conditions", () => {
    const policy = {
      conditions: [
        { metric: "tool_call_accuracy" as const, op: ">=" as const, threshold: 0.7 },
        {
          metric: "latency_p95_ms" as const,
          op: "<=" as const,
          threshold: 50,
          relativeTo: "production" as const,
        },
      ],
      sliceConditions: [
        {
          metric: "tool_call_accuracy" as const,
          by: "tool" as const,
          maxRegression: 0.05,
          minCasesPerSlice: 5,
        },
      ],
      ciConditions: [
        {
          metric: "tool_call_accuracy" as const,
          confidence: 0.9,
          minLowerBound: -0.02,
          resamples: 2000,
        },
      ],
      minCases: 20,
      requireApproval: true,
      approverRoles: ["OWNER" as const],
      approverMustDifferFromLauncher: true,
      autoPromoteTo: "STAGING" as const,
    };
    const result = formToPolicy(policyToForm(policy));
    expect(result).toEqual({ ok: true, policy });
  });

  it("names the field of a bad number", () => {
    const form = policyToForm(null);
    form.conditions.push({ ...NEW_CONDITION, threshold: "abc" });
    form.minCases = "";
    const result = formToPolicy(form);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors["conditions.0.threshold"]).toBe("a number");
      expect(result.errors.minCases).toBe("a number");
    }
  });

  it("reports schema violations by path", () => {
    const form = policyToForm(null);
    form.approverRoles = [];
    form.minCases = "0";
    const result = formToPolicy(form);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors)).toEqual(
        expect.arrayContaining(["approverRoles", "minCases"]),
      );
    }
  });
});
