import { defaultComparator } from "@/lib/domain/drift";
import {
  createMonitorBodySchema,
  updateMonitorBodySchema,
  type Comparator,
  type CreateMonitorBody,
  type Monitor,
  type MonitorMetric,
  type UpdateMonitorBody,
} from "@/lib/schemas/monitors";
import { DEFAULT_THRESHOLD } from "./labels";

/**
 * The monitor form's state. Numbers stay the text typed (a half-typed "0." survives a
 * re-render); the body builders turn it into an API body or field errors keyed by path.
 */
export type MonitorFormState = {
  /** A Model id; ignored by the edit form (a monitor never changes Model). */
  model: string;
  name: string;
  metric: MonitorMetric;
  window: string;
  threshold: string;
  comparator: Comparator;
  minSamples: string;
  cooldown: string;
  /** Empty: the API's default (the window, between 1m and 1h). */
  interval: string;
  action: Monitor["action"];
};

export type FormErrors = Record<string, string>;

export function newMonitorForm(
  model = "",
  metric: MonitorMetric = "tool_call_error_rate",
): MonitorFormState {
  return {
    model,
    name: "",
    metric,
    window: "24h",
    threshold: String(DEFAULT_THRESHOLD[metric]),
    comparator: defaultComparator(metric),
    minSamples: "100",
    cooldown: "1d",
    interval: "",
    // The API's default too: a monitor spends GPU budget only when someone chose that.
    action: "alert",
  };
}

/**
 * A new metric brings its comparator and starting threshold, unless the person already changed
 * them: a tuned threshold is never thrown away by a second look at the metric list.
 */
export function changeMetric(form: MonitorFormState, metric: MonitorMetric): MonitorFormState {
  const comparatorUntouched = form.comparator === defaultComparator(form.metric);
  const thresholdUntouched = form.threshold.trim() === String(DEFAULT_THRESHOLD[form.metric]);
  return {
    ...form,
    metric,
    comparator: comparatorUntouched ? defaultComparator(metric) : form.comparator,
    threshold: thresholdUntouched ? String(DEFAULT_THRESHOLD[metric]) : form.threshold,
  };
}

export function monitorToForm(m: Monitor): MonitorFormState {
  return {
    model: m.modelId,
    name: m.name,
    metric: m.metric,
    window: m.window,
    threshold: String(m.threshold),
    comparator: m.comparator,
    minSamples: String(m.minSamples),
    cooldown: m.cooldown,
    interval: m.interval,
    action: m.action,
  };
}

/** Text to a number; NaN for blank or garbage, which the schemas reject with their own message. */
function num(text: string): number {
  const t = text.trim();
  return t === "" ? Number.NaN : Number(t);
}

/** Schema issues as field errors; a message already set (ours, plainer) wins. */
function mergeIssues(
  errors: FormErrors,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): void {
  for (const issue of issues) errors[issue.path.map(String).join(".") || "form"] ??= issue.message;
}

export type BodyResult<T> = { ok: true; body: T } | { ok: false; errors: FormErrors };

export function formToCreateBody(form: MonitorFormState): BodyResult<CreateMonitorBody> {
  const errors: FormErrors = {};
  if (!form.model) errors.model = "choose a Model";
  const threshold = num(form.threshold);
  if (!Number.isFinite(threshold)) errors.threshold = "a number";
  const minSamples = num(form.minSamples);
  if (!Number.isInteger(minSamples)) errors.minSamples = "a whole number";
  const parsed = createMonitorBodySchema.safeParse({
    model: form.model,
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    metric: form.metric,
    window: form.window,
    threshold,
    comparator: form.comparator,
    minSamples,
    cooldown: form.cooldown,
    ...(form.interval.trim() ? { interval: form.interval } : {}),
    action: form.action,
  });
  if (!parsed.success) mergeIssues(errors, parsed.error.issues);
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** Every editable setting, sent whole: PATCH leaves out only the metric and the Model. */
export function formToUpdateBody(form: MonitorFormState): BodyResult<UpdateMonitorBody> {
  const errors: FormErrors = {};
  const threshold = num(form.threshold);
  if (!Number.isFinite(threshold)) errors.threshold = "a number";
  const minSamples = num(form.minSamples);
  if (!Number.isInteger(minSamples)) errors.minSamples = "a whole number";
  const parsed = updateMonitorBodySchema.safeParse({
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    window: form.window,
    threshold,
    comparator: form.comparator,
    minSamples,
    cooldown: form.cooldown,
    ...(form.interval.trim() ? { interval: form.interval } : {}),
    action: form.action,
  });
  if (!parsed.success) mergeIssues(errors, parsed.error.issues);
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** Keys MonitorFields draws an inline error for. */
export const MONITOR_FIELD_KEYS = [
  "name",
  "metric",
  "window",
  "threshold",
  "comparator",
  "minSamples",
  "cooldown",
  "interval",
  "action",
] as const;

/**
 * Whether the API refused for a reason no field shows (no issues, or an issue on a field the
 * form does not draw): then the refusal is shown whole, so it is never silently lost.
 */
export function needsErrorBanner(server: FormErrors, shownKeys: readonly string[]): boolean {
  const keys = Object.keys(server);
  return keys.length === 0 || keys.some((k) => !shownKeys.includes(k));
}
