"use client";

import { CORRECTORS, TRACE_OUTCOMES } from "@/lib/schemas/traces";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { DatasetVersionPicker } from "./dataset-version-picker";
import type { FormErrors } from "./monitor-form";
import {
  describeSchedule,
  SCHEDULE_PRESETS,
  type RetrainPolicyFormState,
} from "./retrain-policy-form";

const OUTCOME_LABEL: Record<(typeof TRACE_OUTCOMES)[number], string> = {
  success: "Successful calls",
  failure: "Failed calls",
};
const CORRECTOR_LABEL: Record<(typeof CORRECTORS)[number], string> = {
  frontier: "Corrected by the frontier model",
  human: "Corrected by a person",
};

function toggle<T>(list: readonly T[], item: T, on: boolean, order: readonly T[]): T[] {
  return order.filter((x) => (x === item ? on : list.includes(x)));
}

type Props = {
  value: RetrainPolicyFormState;
  onChange: (next: RetrainPolicyFormState) => void;
  /** Keyed like the API's issue paths: "schedule", "datasetRecipe.days", "gpuBudgetUsd". */
  errors: FormErrors;
  disabled?: boolean;
};

/** When a Model re-tunes, on which traces, within which budget, and whether it promotes itself. */
export function RetrainPolicyFields({ value, onChange, errors, disabled }: Props) {
  const set = (patch: Partial<RetrainPolicyFormState>) => onChange({ ...value, ...patch });
  const described = describeSchedule(value.schedule);
  return (
    <>
      <Checkbox
        className="checkbox-plain"
        label="Scheduled re-tunes on"
        description="Off: only drift monitors and “Run now” start a re-tune."
        checked={value.enabled}
        disabled={disabled}
        onChange={(e) => set({ enabled: e.currentTarget.checked })}
      />
      <div className="form-grid">
        <Field
          label="Schedule (cron)"
          hint={
            described ??
            "Custom: minute hour day-of-month month day-of-week, e.g. “0 6 1 1,4,7,10 *”."
          }
          error={errors.schedule}
          required
        >
          <Input
            name="schedule"
            className="mono"
            autoComplete="off"
            value={value.schedule}
            disabled={disabled}
            onChange={(e) => set({ schedule: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Timezone"
          hint="An IANA name: UTC, Europe/Berlin, America/New_York."
          error={errors.timezone}
          required
        >
          <Input
            name="timezone"
            autoComplete="off"
            value={value.timezone}
            disabled={disabled}
            onChange={(e) => set({ timezone: e.currentTarget.value })}
          />
        </Field>
      </div>
      <div role="group" aria-label="Schedule presets" className="inline-gap">
        {SCHEDULE_PRESETS.map((p) => (
          <Button
            key={p.cron}
            size="sm"
            variant={value.schedule.trim() === p.cron ? "primary" : "secondary"}
            aria-pressed={value.schedule.trim() === p.cron}
            disabled={disabled}
            onClick={() => set({ schedule: p.cron })}
          >
            {p.label}
          </Button>
        ))}
      </div>

      <fieldset className="fieldset" disabled={disabled}>
        <legend className="label field-label">Dataset recipe</legend>
        <p className="field-hint">
          Which production traces become the next dataset. A corrected trace teaches the correction,
          so corrected failures are good examples.
        </p>
        <div className="form-grid">
          <Field label="Traces from the last (days)" error={errors["datasetRecipe.days"]} required>
            <Input
              name="days"
              inputMode="numeric"
              value={value.days}
              onChange={(e) => set({ days: e.currentTarget.value })}
            />
          </Field>
          <Field
            label="Most traces"
            hint="Newest first."
            error={errors["datasetRecipe.maxTraces"]}
            required
          >
            <Input
              name="maxTraces"
              inputMode="numeric"
              value={value.maxTraces}
              onChange={(e) => set({ maxTraces: e.currentTarget.value })}
            />
          </Field>
          <Field
            label="Fewest traces"
            hint="Fewer usable traces: the re-tune is skipped."
            error={errors["datasetRecipe.minTraces"]}
            required
          >
            <Input
              name="minTraces"
              inputMode="numeric"
              value={value.minTraces}
              onChange={(e) => set({ minTraces: e.currentTarget.value })}
            />
          </Field>
        </div>
        <div role="group" aria-label="Traces to include" className="stack">
          <span className="field-label">Include</span>
          {TRACE_OUTCOMES.map((o) => (
            <Checkbox
              key={o}
              className="checkbox-plain"
              label={OUTCOME_LABEL[o]}
              checked={value.outcomes.includes(o)}
              onChange={(e) =>
                set({
                  outcomes: toggle(value.outcomes, o, e.currentTarget.checked, TRACE_OUTCOMES),
                })
              }
            />
          ))}
          {CORRECTORS.map((c) => (
            <Checkbox
              key={c}
              className="checkbox-plain"
              label={CORRECTOR_LABEL[c]}
              checked={value.correctedBy.includes(c)}
              onChange={(e) =>
                set({
                  correctedBy: toggle(value.correctedBy, c, e.currentTarget.checked, CORRECTORS),
                })
              }
            />
          ))}
          {(errors["datasetRecipe.outcomes"] ?? errors["datasetRecipe.correctedBy"]) && (
            <p className="field-error">
              {errors["datasetRecipe.outcomes"] ?? errors["datasetRecipe.correctedBy"]}
            </p>
          )}
        </div>
        <div className="form-grid">
          <Field
            label="Base dataset version"
            hint="Optional: a READY dataset version whose training rows are mixed in."
            error={errors["datasetRecipe.baseDatasetVersionId"]}
          >
            <DatasetVersionPicker
              value={value.baseDatasetVersionId}
              disabled={disabled}
              onChange={(id) => set({ baseDatasetVersionId: id })}
            />
          </Field>
          <Field
            label="Most synthetic (%)"
            hint="Cap on the synthetic share of the base rows."
            error={errors["datasetRecipe.maxSyntheticShare"]}
            required
          >
            <Input
              name="maxSyntheticPercent"
              inputMode="decimal"
              value={value.maxSyntheticPercent}
              onChange={(e) => set({ maxSyntheticPercent: e.currentTarget.value })}
            />
          </Field>
        </div>
      </fieldset>

      <fieldset className="fieldset" disabled={disabled}>
        <legend className="label field-label">When a scheduled run trains</legend>
        <p className="field-hint">
          A schedule trains only when it is worth it: enough new traces since the last run (or a
          monitor in warning), and within the GPU budget. Otherwise it records a skip and why. Drift
          breaches skip the trace threshold.
        </p>
        <div className="form-grid">
          <Field
            label="Minimum new traces"
            hint="Since the last run."
            error={errors.minNewTraces}
            required
          >
            <Input
              name="minNewTraces"
              inputMode="numeric"
              value={value.minNewTraces}
              onChange={(e) => set({ minNewTraces: e.currentTarget.value })}
            />
          </Field>
          <Field label="GPU budget (USD)" hint="Blank: no budget." error={errors.gpuBudgetUsd}>
            <Input
              name="gpuBudgetUsd"
              inputMode="decimal"
              placeholder="no budget"
              value={value.gpuBudgetUsd}
              onChange={(e) => set({ gpuBudgetUsd: e.currentTarget.value })}
            />
          </Field>
          <Field label="Budget period (days)" error={errors.budgetPeriodDays} required>
            <Input
              name="budgetPeriodDays"
              inputMode="numeric"
              value={value.budgetPeriodDays}
              onChange={(e) => set({ budgetPeriodDays: e.currentTarget.value })}
            />
          </Field>
        </div>
      </fieldset>

      <Checkbox
        className="checkbox-plain"
        label="Auto-promote when the gate passes"
        description="Off: a passing re-tune waits as a candidate for someone to promote it."
        checked={value.autoPromote}
        disabled={disabled}
        onChange={(e) => set({ autoPromote: e.currentTarget.checked })}
      />
    </>
  );
}
