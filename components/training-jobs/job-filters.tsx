"use client";

import { trainingStatusSchema, triggerSchema } from "@/lib/schemas/training-jobs";
import type { TrainingJobFilters } from "@/lib/client/hooks/training-jobs";
import { STATUS_LABEL, TRIGGER_LABEL } from "@/lib/client/training-labels";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SearchBox } from "@/components/ui/search-box";
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
 * Status and trigger filters and the search (job, Model or base model name, any part, any case).
 * They live in the URL (the caller writes them), so a filtered list can be linked; the search is
 * applied after a short pause in typing. A `model` from a link (an exact Model name or id) stays
 * in force until "Clear filters".
 */
export function JobFilters({
  filters,
  onChange,
}: {
  filters: TrainingJobFilters;
  onChange: (next: TrainingJobFilters) => void;
}) {
  const any = Boolean(filters.status || filters.trigger || filters.model || filters.q);
  return (
    <form
      className="job-filters"
      role="search"
      aria-label="Filter training jobs"
      onSubmit={(e) => e.preventDefault()}
    >
      <SearchBox
        label="Search jobs"
        placeholder="Job, Model or base model"
        value={filters.q}
        onSearch={(q) => onChange({ ...filters, q })}
        landmark={false}
      />
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
      {any && (
        <Button variant="ghost" onClick={() => onChange({})}>
          Clear filters
        </Button>
      )}
    </form>
  );
}
