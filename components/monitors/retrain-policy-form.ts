import {
  putRetrainPolicyBodySchema,
  QUARTERLY_CRON,
  type PutRetrainPolicyBody,
  type RetrainPolicy,
} from "@/lib/schemas/retrain";
import type { CORRECTORS, TRACE_OUTCOMES } from "@/lib/schemas/traces";
import type { BodyResult, FormErrors } from "./monitor-form";

type TraceOutcome = (typeof TRACE_OUTCOMES)[number];
type Corrector = (typeof CORRECTORS)[number];

/** Schedules people pick most; anything else is typed as a cron expression. */
export const SCHEDULE_PRESETS = [
  {
    cron: QUARTERLY_CRON,
    label: "Quarterly",
    description: "06:00 on the 1st of January, April, July and October",
  },
  { cron: "0 6 1 * *", label: "Monthly", description: "06:00 on the 1st of every month" },
  { cron: "0 6 * * 1", label: "Weekly", description: "06:00 every Monday" },
] as const;

/** "Quarterly: 06:00 on the 1st of …" for a preset, null for any other expression. */
export function describeSchedule(cron: string): string | null {
  const normalised = cron.trim().split(/\s+/).join(" ");
  const preset = SCHEDULE_PRESETS.find((p) => p.cron === normalised);
  return preset ? `${preset.label}: ${preset.description}` : null;
}

/**
 * The retrain policy form. Numbers stay the text typed; the synthetic share is edited as a
 * percentage (people think "at most half synthetic", not 0.5) and sent as a fraction.
 */
export type RetrainPolicyFormState = {
  enabled: boolean;
  schedule: string;
  timezone: string;
  autoPromote: boolean;
  days: string;
  outcomes: TraceOutcome[];
  correctedBy: Corrector[];
  baseDatasetVersionId: string;
  maxSyntheticPercent: string;
  maxTraces: string;
  minTraces: string;
  minNewTraces: string;
  /** Blank: no budget. */
  gpuBudgetUsd: string;
  budgetPeriodDays: string;
};

/** A stored policy as the form edits it, or the API's defaults when the Model has none. */
export function policyToForm(policy: RetrainPolicy | null): RetrainPolicyFormState {
  const p = policy ?? putRetrainPolicyBodySchema.parse({});
  const r = p.datasetRecipe;
  return {
    enabled: p.enabled,
    schedule: p.schedule,
    timezone: p.timezone,
    autoPromote: p.autoPromote,
    days: String(r.days),
    outcomes: [...r.outcomes],
    correctedBy: [...r.correctedBy],
    baseDatasetVersionId: r.baseDatasetVersionId ?? "",
    // Rounded so 0.3 shows as 30, not 30.000000000000004.
    maxSyntheticPercent: String(Math.round(r.maxSyntheticShare * 1000) / 10),
    maxTraces: String(r.maxTraces),
    minTraces: String(r.minTraces),
    minNewTraces: String(p.minNewTraces),
    gpuBudgetUsd: p.gpuBudgetUsd === null ? "" : String(p.gpuBudgetUsd),
    budgetPeriodDays: String(p.budgetPeriodDays),
  };
}

/**
 * The PUT body, or field errors keyed like the API's issue paths ("schedule",
 * "datasetRecipe.days"), so the server's refusals land on the same fields. PUT replaces the
 * policy, so the stored training template (not edited here) is sent back unchanged.
 */
export function formToPolicyBody(
  form: RetrainPolicyFormState,
  trainingTemplate: RetrainPolicy["trainingTemplate"],
): BodyResult<PutRetrainPolicyBody> {
  const errors: FormErrors = {};
  const number = (path: string, text: string, { integer = false, optional = false } = {}) => {
    const t = text.trim();
    if (t === "" && optional) return null;
    const n = t === "" ? Number.NaN : Number(t);
    if (!Number.isFinite(n)) errors[path] = "a number";
    else if (integer && !Number.isInteger(n)) errors[path] = "a whole number";
    return n;
  };
  const percent = number("datasetRecipe.maxSyntheticShare", form.maxSyntheticPercent);
  if (form.outcomes.length === 0 && form.correctedBy.length === 0)
    errors["datasetRecipe.outcomes"] = "choose at least one outcome or correction";
  const candidate = {
    schedule: form.schedule,
    timezone: form.timezone,
    datasetRecipe: {
      days: number("datasetRecipe.days", form.days, { integer: true }),
      outcomes: form.outcomes,
      correctedBy: form.correctedBy,
      baseDatasetVersionId: form.baseDatasetVersionId.trim() || null,
      maxSyntheticShare: percent === null ? percent : percent / 100,
      maxTraces: number("datasetRecipe.maxTraces", form.maxTraces, { integer: true }),
      minTraces: number("datasetRecipe.minTraces", form.minTraces, { integer: true }),
    },
    trainingTemplate,
    autoPromote: form.autoPromote,
    enabled: form.enabled,
    minNewTraces: number("minNewTraces", form.minNewTraces, { integer: true }),
    gpuBudgetUsd: number("gpuBudgetUsd", form.gpuBudgetUsd, { optional: true }),
    budgetPeriodDays: number("budgetPeriodDays", form.budgetPeriodDays, { integer: true }),
  };
  const parsed = putRetrainPolicyBodySchema.safeParse(candidate);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".") || "form";
      errors[path] ??= issue.message;
    }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** Keys RetrainPolicyFields draws an inline error for. */
export const POLICY_FIELD_KEYS = [
  "schedule",
  "timezone",
  "datasetRecipe.days",
  "datasetRecipe.outcomes",
  "datasetRecipe.correctedBy",
  "datasetRecipe.baseDatasetVersionId",
  "datasetRecipe.maxSyntheticShare",
  "datasetRecipe.maxTraces",
  "datasetRecipe.minTraces",
  "minNewTraces",
  "gpuBudgetUsd",
  "budgetPeriodDays",
] as const;
