import {
  gatePolicySchema,
  type GateOp,
  type GatePolicy,
  type GatePolicyInput,
  type SliceBy,
} from "@/lib/schemas/gates";
import type { CaseMetric, MetricName } from "@/lib/schemas/eval-metrics";
import type { Role } from "@/lib/domain/permissions";

/**
 * The gate policy editor's state: numbers are kept as the text typed, so a half-typed "-0."
 * survives re-renders; `toPolicy` turns it into a GatePolicy or field errors keyed by path.
 */
export type ConditionRow = { metric: MetricName; op: GateOp; threshold: string; relative: boolean };
export type SliceRow = {
  metric: CaseMetric;
  by: SliceBy;
  maxRegression: string;
  minCasesPerSlice: string;
};
export type CiRow = { metric: CaseMetric; confidence: string; minLowerBound: string };

export type GatePolicyFormState = {
  conditions: ConditionRow[];
  sliceConditions: SliceRow[];
  ciConditions: CiRow[];
  minCases: string;
  requireApproval: boolean;
  approverRoles: Role[];
  approverMustDifferFromLauncher: boolean;
  autoPromoteTo: "" | "STAGING" | "PRODUCTION";
};

export const NEW_CONDITION: ConditionRow = {
  metric: "tool_call_accuracy",
  op: ">=",
  threshold: "0.7",
  relative: false,
};
export const NEW_SLICE: SliceRow = {
  metric: "tool_call_accuracy",
  by: "tool",
  maxRegression: "0.05",
  minCasesPerSlice: "5",
};
export const NEW_CI: CiRow = {
  metric: "tool_call_accuracy",
  confidence: "0.95",
  minLowerBound: "0",
};

/** The editor's starting state for a stored policy, or the schema's defaults when there is none. */
export function policyToForm(policy: GatePolicyInput | null | undefined): GatePolicyFormState {
  const p: GatePolicy = gatePolicySchema.parse(policy ?? {});
  return {
    conditions: p.conditions.map((c) => ({
      metric: c.metric,
      op: c.op,
      threshold: String(c.threshold),
      relative: c.relativeTo === "production",
    })),
    sliceConditions: p.sliceConditions.map((s) => ({
      metric: s.metric,
      by: s.by,
      maxRegression: String(s.maxRegression),
      minCasesPerSlice: String(s.minCasesPerSlice),
    })),
    ciConditions: p.ciConditions.map((c) => ({
      metric: c.metric,
      confidence: String(c.confidence),
      minLowerBound: String(c.minLowerBound),
    })),
    minCases: String(p.minCases),
    requireApproval: p.requireApproval,
    approverRoles: [...p.approverRoles],
    approverMustDifferFromLauncher: p.approverMustDifferFromLauncher,
    autoPromoteTo: p.autoPromoteTo ?? "",
  };
}

export type PolicyResult =
  { ok: true; policy: GatePolicy } | { ok: false; errors: Record<string, string> };

/** Validates the form against gatePolicySchema; errors are keyed like "conditions.0.threshold". */
export function formToPolicy(form: GatePolicyFormState): PolicyResult {
  const errors: Record<string, string> = {};
  const num = (path: string, text: string): number => {
    const t = text.trim();
    const n = t === "" ? Number.NaN : Number(t);
    if (!Number.isFinite(n)) errors[path] ??= "a number";
    return n;
  };
  const candidate = {
    conditions: form.conditions.map((c, i) => ({
      metric: c.metric,
      op: c.op,
      threshold: num(`conditions.${i}.threshold`, c.threshold),
      ...(c.relative ? { relativeTo: "production" as const } : {}),
    })),
    sliceConditions: form.sliceConditions.map((s, i) => ({
      metric: s.metric,
      by: s.by,
      maxRegression: num(`sliceConditions.${i}.maxRegression`, s.maxRegression),
      minCasesPerSlice: num(`sliceConditions.${i}.minCasesPerSlice`, s.minCasesPerSlice),
    })),
    ciConditions: form.ciConditions.map((c, i) => ({
      metric: c.metric,
      confidence: num(`ciConditions.${i}.confidence`, c.confidence),
      minLowerBound: num(`ciConditions.${i}.minLowerBound`, c.minLowerBound),
    })),
    minCases: num("minCases", form.minCases),
    requireApproval: form.requireApproval,
    approverRoles: form.approverRoles,
    approverMustDifferFromLauncher: form.approverMustDifferFromLauncher,
    ...(form.autoPromoteTo ? { autoPromoteTo: form.autoPromoteTo } : {}),
  };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = gatePolicySchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors[issue.path.join(".") || "(policy)"] ??= issue.message;
    }
    return { ok: false, errors };
  }
  return { ok: true, policy: parsed.data };
}
