"use client";

import { useEffect, useState } from "react";
import { trainingStatusSchema, triggerSchema } from "@/lib/schemas/training-jobs";
import type { TrainingJobFilters } from "@/lib/client/hooks/training-jobs";
import { STATUS_LABEL, TRIGGER_LABEL } from "@/lib/client/training-labels";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

const STATUS_OPTIONS = [
  { value: "", label: "Any status" },
  ...trainingStatusSchema.options.map((s) => ({ value: s, label: STATUS_LABEL[s] })),
];
const TRIGGER_OPTIONS = [
  { value: "", label: "Any trigger" },
  ...triggerSchema.options.map((t) => ({ value: t, label: TRIGGER_LABEL[t] })),
];

/**
 * Status, trigger and model filters. They live in the URL (the caller writes them), so a
 * filtered list can be linked; the model name is applied after a short pause in typing.
 */
export function JobFilters({
  filters,
  modelNames,
  onChange,
}: {
  filters: TrainingJobFilters;
  modelNames: readonly string[];
  onChange: (next: TrainingJobFilters) => void;
}) {
  const [model, setModel] = useState(filters.model ?? "");
  const [synced, setSynced] = useState(filters.model ?? "");
  // The URL changed from outside (back button, a link): show its value.
  if ((filters.model ?? "") !== synced) {
    setSynced(filters.model ?? "");
    if (model.trim() !== (filters.model ?? "")) setModel(filters.model ?? "");
  }

  useEffect(() => {
    const trimmed = model.trim();
    if (trimmed === (filters.model ?? "")) return;
    const t = setTimeout(() => onChange({ ...filters, model: trimmed || undefined }), 350);
    return () => clearTimeout(t);
  }, [model, filters, onChange]);

  const any = Boolean(filters.status || filters.trigger || filters.model);
  return (
    <form
      className="job-filters"
      role="search"
      aria-label="Filter training jobs"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ ...filters, model: model.trim() || undefined });
      }}
    >
      <Field label="Status">
        <Select
          options={STATUS_OPTIONS}
          value={filters.status ?? ""}
          onChange={(e) => onChange({ ...filters, status: e.currentTarget.value || undefined })}
        />
      </Field>
      <Field label="Trigger">
        <Select
          options={TRIGGER_OPTIONS}
          value={filters.trigger ?? ""}
          onChange={(e) => onChange({ ...filters, trigger: e.currentTarget.value || undefined })}
        />
      </Field>
      <Field label="Model">
        <Input
          value={model}
          placeholder="Model name"
          list="training-job-models"
          autoComplete="off"
          onChange={(e) => setModel(e.currentTarget.value)}
        />
      </Field>
      <datalist id="training-job-models">
        {modelNames.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {any && (
        <Button
          variant="ghost"
          onClick={() => {
            setModel("");
            onChange({});
          }}
        >
          Clear filters
        </Button>
      )}
    </form>
  );
}
