"use client";

import { COMPARATORS, MONITOR_METRICS, type Comparator } from "@/lib/schemas/monitors";
import { COMPARATOR_SYMBOL } from "@/lib/domain/drift";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { formatMonitorValue, isShareMetric } from "./format";
import { ACTION_LABEL, METRIC_EXPLANATION, METRIC_LABEL } from "./labels";
import { changeMetric, type FormErrors, type MonitorFormState } from "./monitor-form";

const COMPARATOR_WORDS: Record<Comparator, string> = {
  gt: "above",
  gte: "at or above",
  lt: "below",
  lte: "at or below",
};

const COMPARATOR_OPTIONS = COMPARATORS.map((c) => ({
  value: c,
  label: `${COMPARATOR_SYMBOL[c]} breach when ${COMPARATOR_WORDS[c]}`,
}));
const METRIC_OPTIONS = MONITOR_METRICS.map((m) => ({ value: m, label: METRIC_LABEL[m] }));
const ACTION_OPTIONS = [
  { value: "alert", label: `${ACTION_LABEL.alert}: notify the team's webhooks` },
  { value: "retrain", label: `${ACTION_LABEL.retrain}: open a retrain by the Model's policy` },
];

type Props = {
  value: MonitorFormState;
  onChange: (next: MonitorFormState) => void;
  errors: FormErrors;
  /** The metric is chosen once: a monitor's checks are only comparable for one metric. */
  metricEditable: boolean;
  disabled?: boolean;
};

function thresholdHint(form: MonitorFormState): string {
  const n = Number(form.threshold);
  const shown = form.threshold.trim() !== "" && Number.isFinite(n);
  if (isShareMetric(form.metric))
    return `A share between 0 and 1${shown ? `: ${form.threshold} is ${formatMonitorValue(form.metric, n)}` : ", e.g. 0.1 for 10%"}.`;
  if (form.metric === "latency_p95_ms") return "Milliseconds.";
  if (form.metric === "cost_per_call_usd") return "US dollars per call.";
  return "PSI: 0.1 is a moderate shift, 0.25 a significant one.";
}

/** The settings a monitor is made of; shared by "New monitor" and the monitor page's settings. */
export function MonitorFields({ value, onChange, errors, metricEditable, disabled }: Props) {
  const set = (patch: Partial<MonitorFormState>) => onChange({ ...value, ...patch });
  return (
    <>
      {metricEditable && (
        <Field label="Metric" hint={METRIC_EXPLANATION[value.metric]} error={errors.metric}>
          <Select
            name="metric"
            options={METRIC_OPTIONS}
            value={value.metric}
            disabled={disabled}
            onChange={(e) =>
              onChange(changeMetric(value, e.currentTarget.value as MonitorFormState["metric"]))
            }
          />
        </Field>
      )}
      <Field label="Name" hint="Optional; shown in lists and alerts." error={errors.name}>
        <Input
          name="name"
          autoComplete="off"
          maxLength={100}
          value={value.name}
          disabled={disabled}
          onChange={(e) => set({ name: e.currentTarget.value })}
        />
      </Field>
      <div className="form-grid">
        <Field label="Comparator" error={errors.comparator}>
          <Select
            name="comparator"
            options={COMPARATOR_OPTIONS}
            value={value.comparator}
            disabled={disabled}
            onChange={(e) => set({ comparator: e.currentTarget.value as Comparator })}
          />
        </Field>
        <Field label="Threshold" hint={thresholdHint(value)} error={errors.threshold} required>
          <Input
            name="threshold"
            inputMode="decimal"
            autoComplete="off"
            value={value.threshold}
            disabled={disabled}
            onChange={(e) => set({ threshold: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Window"
          hint="Telemetry each check reads, back from now: “1h”, “24h”, “7d”."
          error={errors.window}
          required
        >
          <Input
            name="window"
            autoComplete="off"
            value={value.window}
            disabled={disabled}
            onChange={(e) => set({ window: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Minimum samples"
          hint="Fewer events than this in the window: no verdict, no action."
          error={errors.minSamples}
          required
        >
          <Input
            name="minSamples"
            inputMode="numeric"
            autoComplete="off"
            value={value.minSamples}
            disabled={disabled}
            onChange={(e) => set({ minSamples: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Cooldown"
          hint="After acting, wait this long before acting again."
          error={errors.cooldown}
          required
        >
          <Input
            name="cooldown"
            autoComplete="off"
            value={value.cooldown}
            disabled={disabled}
            onChange={(e) => set({ cooldown: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Check every"
          hint="Blank: the window, between 1m and 1h."
          error={errors.interval}
        >
          <Input
            name="interval"
            autoComplete="off"
            placeholder="default"
            value={value.interval}
            disabled={disabled}
            onChange={(e) => set({ interval: e.currentTarget.value })}
          />
        </Field>
      </div>
      <Field label="Action on breach" error={errors.action}>
        <Select
          name="action"
          options={ACTION_OPTIONS}
          value={value.action}
          disabled={disabled}
          onChange={(e) => set({ action: e.currentTarget.value as MonitorFormState["action"] })}
        />
      </Field>
    </>
  );
}
