"use client";

import { CASE_METRICS, METRIC_NAMES } from "@/lib/schemas/eval-metrics";
import { GATE_OPS } from "@/lib/schemas/gates";
import { ROLES, type Role } from "@/lib/domain/permissions";
import { METRIC_LABEL } from "@/lib/client/eval-metrics";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import {
  NEW_CI,
  NEW_CONDITION,
  NEW_SLICE,
  type CiRow,
  type ConditionRow,
  type GatePolicyFormState,
  type SliceRow,
} from "./gate-policy-form";

const METRIC_OPTIONS = METRIC_NAMES.map((m) => ({ value: m, label: METRIC_LABEL[m] }));
const CASE_METRIC_OPTIONS = CASE_METRICS.map((m) => ({ value: m, label: METRIC_LABEL[m] }));
const OP_OPTIONS = GATE_OPS.map((o) => ({ value: o, label: o }));
const AUTO_OPTIONS = [
  { value: "", label: "None: promote by hand" },
  { value: "STAGING", label: "Staging" },
  { value: "PRODUCTION", label: "Production" },
];

type Props = {
  value: GatePolicyFormState;
  onChange: (next: GatePolicyFormState) => void;
  /** Keyed by path, as formToPolicy returns them ("conditions.0.threshold", "minCases"). */
  errors?: Record<string, string>;
  disabled?: boolean;
};

function RowError({ errors, prefix }: { errors: Record<string, string>; prefix: string }) {
  const messages = Object.entries(errors)
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, m]) => `${k.slice(prefix.length) || "row"}: ${m}`);
  if (messages.length === 0) return null;
  return <p className="field-error gate-row-error">{messages.join("; ")}</p>;
}

function replaceAt<T>(list: readonly T[], i: number, patch: Partial<T>): T[] {
  return list.map((x, j) => (j === i ? { ...x, ...patch } : x));
}

/**
 * Edits a Model's gate policy: absolute or production-relative metric conditions, the minimum
 * number of cases, approval (who, four eyes), auto-promotion, and per-slice and confidence
 * interval conditions. Used by "Register model" and by the model page's Edit.
 */
export function GatePolicyEditor({ value, onChange, errors = {}, disabled }: Props) {
  const set = (patch: Partial<GatePolicyFormState>) => onChange({ ...value, ...patch });
  const setCondition = (i: number, patch: Partial<ConditionRow>) =>
    set({ conditions: replaceAt(value.conditions, i, patch) });
  const setSlice = (i: number, patch: Partial<SliceRow>) =>
    set({ sliceConditions: replaceAt(value.sliceConditions, i, patch) });
  const setCi = (i: number, patch: Partial<CiRow>) =>
    set({ ciConditions: replaceAt(value.ciConditions, i, patch) });
  const toggleRole = (role: Role, on: boolean) =>
    set({
      approverRoles: on
        ? ROLES.filter((r) => r === role || value.approverRoles.includes(r))
        : value.approverRoles.filter((r) => r !== role),
    });

  return (
    <div className="gate-editor stack">
      <fieldset className="fieldset" disabled={disabled}>
        <legend className="label field-label">Conditions</legend>
        <p className="field-hint">
          Each must hold for the gate to pass. “Relative to production” compares with the production
          version on the same suite: threshold −0.01 means “at most one point worse”.
        </p>
        {value.conditions.length === 0 && (
          <p className="muted small">No metric conditions: only the minimum case count applies.</p>
        )}
        {value.conditions.map((c, i) => {
          const n = i + 1;
          return (
            <div key={i} className="gate-row" role="group" aria-label={`Condition ${n}`}>
              <Select
                aria-label={`Metric of condition ${n}`}
                options={METRIC_OPTIONS}
                value={c.metric}
                onChange={(e) =>
                  setCondition(i, { metric: e.currentTarget.value as ConditionRow["metric"] })
                }
              />
              <Select
                aria-label={`Operator of condition ${n}`}
                className="gate-op"
                options={OP_OPTIONS}
                value={c.op}
                onChange={(e) =>
                  setCondition(i, { op: e.currentTarget.value as ConditionRow["op"] })
                }
              />
              <input
                className="input gate-num"
                inputMode="decimal"
                aria-label={`Threshold of condition ${n}`}
                aria-invalid={errors[`conditions.${i}.threshold`] ? true : undefined}
                value={c.threshold}
                onChange={(e) => setCondition(i, { threshold: e.currentTarget.value })}
              />
              <label className="gate-inline-check">
                <input
                  type="checkbox"
                  checked={c.relative}
                  onChange={(e) => setCondition(i, { relative: e.currentTarget.checked })}
                />
                relative to production
              </label>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove condition ${n}`}
                onClick={() => set({ conditions: value.conditions.filter((_, j) => j !== i) })}
              >
                Remove
              </Button>
              <RowError errors={errors} prefix={`conditions.${i}.`} />
            </div>
          );
        })}
        <div>
          <Button
            size="sm"
            onClick={() => set({ conditions: [...value.conditions, { ...NEW_CONDITION }] })}
          >
            Add condition
          </Button>
        </div>
      </fieldset>

      <div className="form-grid">
        <Field
          label="Minimum cases"
          hint="Fewer scored cases than this fails the gate."
          error={errors.minCases}
        >
          <Input
            inputMode="numeric"
            value={value.minCases}
            disabled={disabled}
            onChange={(e) => set({ minCases: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Auto-promote to"
          hint="Once the gate passes (and approval, when required, is given)."
          error={errors.autoPromoteTo}
        >
          <Select
            options={AUTO_OPTIONS}
            value={value.autoPromoteTo}
            disabled={disabled}
            onChange={(e) =>
              set({ autoPromoteTo: e.currentTarget.value as GatePolicyFormState["autoPromoteTo"] })
            }
          />
        </Field>
      </div>

      <fieldset className="fieldset" disabled={disabled}>
        <legend className="label field-label">Approval</legend>
        <Checkbox
          label="Require approval"
          description="A person with an approver role must approve before production."
          checked={value.requireApproval}
          onChange={(e) => set({ requireApproval: e.currentTarget.checked })}
        />
        <div role="group" aria-label="Approver roles" className="gate-roles">
          <span className="field-label">Approver roles</span>
          {ROLES.map((r) => (
            <label key={r} className="gate-inline-check">
              <input
                type="checkbox"
                checked={value.approverRoles.includes(r)}
                onChange={(e) => toggleRole(r, e.currentTarget.checked)}
              />
              {r}
            </label>
          ))}
        </div>
        {errors.approverRoles && <p className="field-error">{errors.approverRoles}</p>}
        <Checkbox
          label="Approver must differ from launcher"
          description="Four eyes: whoever launched the training job cannot approve its version."
          checked={value.approverMustDifferFromLauncher}
          onChange={(e) => set({ approverMustDifferFromLauncher: e.currentTarget.checked })}
        />
      </fieldset>

      <details className="details-card" open={value.sliceConditions.length > 0}>
        <summary>Slice conditions ({value.sliceConditions.length})</summary>
        <fieldset className="fieldset" disabled={disabled}>
          <legend className="sr-only">Slice conditions</legend>
          <p className="field-hint">
            No slice (cases by expected tool or by intent) may score below production’s same slice
            by more than the maximum regression.
          </p>
          {value.sliceConditions.map((s, i) => {
            const n = i + 1;
            return (
              <div key={i} className="gate-row" role="group" aria-label={`Slice condition ${n}`}>
                <Select
                  aria-label={`Metric of slice condition ${n}`}
                  options={CASE_METRIC_OPTIONS}
                  value={s.metric}
                  onChange={(e) =>
                    setSlice(i, { metric: e.currentTarget.value as SliceRow["metric"] })
                  }
                />
                <Select
                  aria-label={`Slice by, condition ${n}`}
                  options={[
                    { value: "tool", label: "by tool" },
                    { value: "intent", label: "by intent" },
                    { value: "category", label: "by category" },
                    { value: "turn", label: "by turn" },
                  ]}
                  value={s.by}
                  onChange={(e) => setSlice(i, { by: e.currentTarget.value as SliceRow["by"] })}
                />
                <input
                  className="input gate-num"
                  inputMode="decimal"
                  aria-label={`Maximum regression of slice condition ${n}`}
                  placeholder="max regression"
                  value={s.maxRegression}
                  onChange={(e) => setSlice(i, { maxRegression: e.currentTarget.value })}
                />
                <input
                  className="input gate-num"
                  inputMode="numeric"
                  aria-label={`Minimum cases per slice, condition ${n}`}
                  placeholder="min cases"
                  value={s.minCasesPerSlice}
                  onChange={(e) => setSlice(i, { minCasesPerSlice: e.currentTarget.value })}
                />
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove slice condition ${n}`}
                  onClick={() =>
                    set({ sliceConditions: value.sliceConditions.filter((_, j) => j !== i) })
                  }
                >
                  Remove
                </Button>
                <RowError errors={errors} prefix={`sliceConditions.${i}.`} />
              </div>
            );
          })}
          <div>
            <Button
              size="sm"
              onClick={() => set({ sliceConditions: [...value.sliceConditions, { ...NEW_SLICE }] })}
            >
              Add slice condition
            </Button>
          </div>
        </fieldset>
      </details>

      <details className="details-card" open={value.ciConditions.length > 0}>
        <summary>Confidence interval conditions ({value.ciConditions.length})</summary>
        <fieldset className="fieldset" disabled={disabled}>
          <legend className="sr-only">Confidence interval conditions</legend>
          <p className="field-hint">
            The paired bootstrap interval of (candidate − production) must have its lower bound
            above the minimum: 0 means “demonstrably better”, −0.02 “at most 2 points worse”.
          </p>
          {value.ciConditions.map((c, i) => {
            const n = i + 1;
            return (
              <div key={i} className="gate-row" role="group" aria-label={`CI condition ${n}`}>
                <Select
                  aria-label={`Metric of CI condition ${n}`}
                  options={CASE_METRIC_OPTIONS}
                  value={c.metric}
                  onChange={(e) => setCi(i, { metric: e.currentTarget.value as CiRow["metric"] })}
                />
                <input
                  className="input gate-num"
                  inputMode="decimal"
                  aria-label={`Confidence of CI condition ${n}`}
                  placeholder="confidence"
                  value={c.confidence}
                  onChange={(e) => setCi(i, { confidence: e.currentTarget.value })}
                />
                <input
                  className="input gate-num"
                  inputMode="decimal"
                  aria-label={`Minimum lower bound of CI condition ${n}`}
                  placeholder="min lower bound"
                  value={c.minLowerBound}
                  onChange={(e) => setCi(i, { minLowerBound: e.currentTarget.value })}
                />
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove CI condition ${n}`}
                  onClick={() =>
                    set({ ciConditions: value.ciConditions.filter((_, j) => j !== i) })
                  }
                >
                  Remove
                </Button>
                <RowError errors={errors} prefix={`ciConditions.${i}.`} />
              </div>
            );
          })}
          <div>
            <Button
              size="sm"
              onClick={() => set({ ciConditions: [...value.ciConditions, { ...NEW_CI }] })}
            >
              Add CI condition
            </Button>
          </div>
        </fieldset>
      </details>
    </div>
  );
}
