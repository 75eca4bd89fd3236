"use client";

import Link from "next/link";
import type { ComponentPropsWithRef } from "react";
import {
  EFFORT_POINTS,
  RETUNE_CADENCES,
  type EffortPoint,
  type PriceList,
  type ProjectShape,
  type RetuneCadence,
} from "@/lib/schemas/economics";
import { Field } from "@/components/ui/field";
import { useFieldControl } from "@/components/ui/field-context";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { cx } from "@/components/ui/cx";
import { formatPrice } from "./format";
import {
  applyShape,
  setField,
  type PlannerField,
  type PlannerForm as Form,
} from "./planner-form-state";

const CADENCE_LABEL: Record<RetuneCadence, string> = {
  monthly: "Monthly",
  quarterly: "Quarterly",
  semiannual: "Every 6 months",
  annual: "Yearly",
  never: "Never (one-time fine-tune)",
};
const EFFORT_LABEL: Record<EffortPoint, string> = {
  low: "Low end",
  mid: "Middle",
  high: "High end",
};

/** A range input that takes its Field's id and description, like Input does. */
function Range({ className, ...props }: ComponentPropsWithRef<"input">) {
  const field = useFieldControl();
  return <input type="range" className={cx("range-input", className)} {...field} {...props} />;
}

const range = (r: { min: number; max: number }, fmt: (n: number) => string = String) =>
  r.min === r.max ? fmt(r.min) : `${fmt(r.min)}–${fmt(r.max)}`;
const usd = (n: number) => `$${n.toLocaleString("en-US")}`;

function priceOptions(pool: PriceList, kind: "frontier" | "self_hosted", teamIds: Set<string>) {
  return pool
    .filter((p) => p.kind === kind)
    .map((p) => {
      const name = p.kind === "frontier" ? `${p.provider} ${p.model}` : p.label;
      const tail = teamIds.has(`${p.kind}/${p.id}`) ? "" : " — seeded price, not in your list";
      return { value: p.id, label: `${name} (as of ${p.asOf})${tail}` };
    });
}

/**
 * The planner's inputs. Every change is applied at once (the results and charts are computed in
 * the browser from the same pure functions the API uses), so there is no submit button.
 */
export function PlannerForm({
  form,
  onChange,
  errors,
  pool,
  teamPriceKeys,
  shapes,
}: {
  form: Form;
  onChange: (next: Form) => void;
  errors: Partial<Record<PlannerField, string>>;
  pool: PriceList;
  /** kind/id of the entries in the team's own list (the rest are a preset's seeded prices). */
  teamPriceKeys: Set<string>;
  shapes: readonly ProjectShape[];
}) {
  const set =
    <K extends PlannerField>(key: K) =>
    (value: Form[K]) =>
      onChange(setField(form, key, value));
  const text = (key: PlannerField) => ({
    value: String(form[key]),
    inputMode: "decimal" as const,
    onChange: (e: { currentTarget: HTMLInputElement }) => set(key)(e.currentTarget.value as never),
  });
  const serving = pool.find((p) => p.kind === "self_hosted" && p.id === form.servingId);

  return (
    <form className="stack" onSubmit={(e) => e.preventDefault()} aria-label="Planner inputs">
      <fieldset className="fieldset">
        <legend className="fieldset-legend">Traffic</legend>
        <div className="form-grid">
          <Field label="Invocations per month" error={errors.invocationsPerMonth} required>
            <Input {...text("invocationsPerMonth")} placeholder="e.g. 3,000,000" />
          </Field>
          <Field label="Input tokens per call" error={errors.tokensIn} required>
            <Input {...text("tokensIn")} placeholder="e.g. 2,500" />
          </Field>
          <Field label="Output tokens per call" error={errors.tokensOut} required>
            <Input {...text("tokensOut")} placeholder="e.g. 300" />
          </Field>
        </div>
        <Field
          label={`Routine share: ${form.routineSharePct}%`}
          error={errors.routineSharePct}
          hint="Calls the fine-tuned small model keeps; the rest escalate to the frontier model."
        >
          <Range
            aria-label="Routine share"
            aria-valuetext={`${form.routineSharePct}% routine`}
            min={0}
            max={100}
            step={1}
            value={form.routineSharePct}
            onChange={(e) => set("routineSharePct")(Number(e.currentTarget.value))}
          />
        </Field>
      </fieldset>

      <fieldset className="fieldset">
        <legend className="fieldset-legend">Models and prices</legend>
        <div className="form-grid">
          <Field
            label="Frontier model"
            error={errors.frontierId}
            hint={
              <>
                From the team&apos;s price list (<Link href="/settings/prices">edit prices</Link>).
              </>
            }
          >
            <Select
              value={form.frontierId}
              onChange={(e) => set("frontierId")(e.currentTarget.value)}
              options={priceOptions(pool, "frontier", teamPriceKeys)}
            />
          </Field>
          <Field
            label="Small model and GPU"
            error={errors.servingId}
            hint={
              serving && serving.kind === "self_hosted"
                ? `${serving.gpusPerReplica}× ${serving.gpuType} at ${formatPrice(serving.usdPerGpuHour)}/GPU-hour, ` +
                  `${serving.replicas} replica${serving.replicas === 1 ? "" : "s"} always on, ` +
                  `${serving.throughputTokensPerSec.toLocaleString("en-US")} tok/s ${serving.throughputBasis}, ` +
                  `${Math.round(serving.utilisation * 100)}% utilisation.`
                : undefined
            }
          >
            <Select
              value={form.servingId}
              onChange={(e) => set("servingId")(e.currentTarget.value)}
              options={priceOptions(pool, "self_hosted", teamPriceKeys)}
            />
          </Field>
          <Field
            label="Escalated call size"
            error={errors.escalatedTokenFactor}
            hint="Tokens of an escalated call relative to an average one (1 = the same)."
          >
            <Input {...text("escalatedTokenFactor")} />
          </Field>
          <Field label="Routing" hint="Who decides that a call escalates.">
            <Select
              value={form.routing}
              onChange={(e) => set("routing")(e.currentTarget.value as Form["routing"])}
              options={[
                { value: "confidence", label: "Small model answers, escalates when unsure" },
                { value: "router", label: "A router decides before any model runs" },
              ]}
            />
          </Field>
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend className="fieldset-legend">Re-tuning</legend>
        <div className="form-grid">
          <Field label="Re-tune cadence">
            <Select
              value={form.cadence}
              onChange={(e) => set("cadence")(e.currentTarget.value as RetuneCadence)}
              options={RETUNE_CADENCES.map((c) => ({ value: c, label: CADENCE_LABEL[c] }))}
            />
          </Field>
          <Field label="Training compute per re-tune ($)" error={errors.trainingUsdPerTune}>
            <Input {...text("trainingUsdPerTune")} />
          </Field>
          <Field label="Eval spend per re-tune ($)" error={errors.evalUsdPerTune}>
            <Input {...text("evalUsdPerTune")} />
          </Field>
          <Field label="Engineer-weeks per re-tune" error={errors.engineerWeeksPerTune}>
            <Input {...text("engineerWeeksPerTune")} />
          </Field>
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend className="fieldset-legend">Project effort</legend>
        <div className="preset-chips" role="group" aria-label="Project shape presets">
          {shapes.map((s) => (
            <button
              key={s.id}
              type="button"
              className={cx("preset-chip", form.shape === s.id && "preset-chip-on")}
              aria-pressed={form.shape === s.id}
              onClick={() => onChange(applyShape(form, s.id, form.effort))}
            >
              <span className="preset-chip-label">{s.label}</span>
              <span className="preset-chip-desc">
                {range(s.engineers)} engineers · {range(s.computeUsd, usd)} compute ·{" "}
                {range(s.weeks)} weeks
              </span>
            </button>
          ))}
        </div>
        <div className="form-grid">
          <Field
            label="Point in the preset's ranges"
            hint={form.shape === "custom" ? "Figures typed over: a custom effort." : undefined}
          >
            <Select
              value={form.effort}
              disabled={form.shape === "custom"}
              onChange={(e) => {
                const effort = e.currentTarget.value as EffortPoint;
                onChange(
                  form.shape === "custom"
                    ? { ...form, effort }
                    : applyShape(form, form.shape, effort),
                );
              }}
              options={EFFORT_POINTS.map((p) => ({ value: p, label: EFFORT_LABEL[p] }))}
            />
          </Field>
          <Field label="Engineers" error={errors.engineers}>
            <Input {...text("engineers")} />
          </Field>
          <Field label="Weeks" error={errors.weeks}>
            <Input {...text("weeks")} />
          </Field>
          <Field
            label="Loaded cost per engineer-week ($)"
            error={errors.loadedUsdPerEngineerWeek}
            hint="Salary, benefits and overhead."
          >
            <Input {...text("loadedUsdPerEngineerWeek")} />
          </Field>
          <Field label="Project compute ($)" error={errors.computeUsd}>
            <Input {...text("computeUsd")} />
          </Field>
          <Field
            label="Payback horizon (months)"
            error={errors.horizonMonths}
            hint="The project must pay for itself within it (end-to-end break-even)."
          >
            <Input {...text("horizonMonths")} />
          </Field>
        </div>
      </fieldset>
    </form>
  );
}
