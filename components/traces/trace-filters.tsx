"use client";

import { useEffect, useState } from "react";
import { CORRECTORS, TRACE_OUTCOMES } from "@/lib/schemas/traces";
import { useModels } from "@/lib/client/hooks/models";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SearchBox } from "@/components/ui/search-box";
import { Select } from "@/components/ui/select";
import { hasFilters, type UrlFilters } from "./filter-state";
import { CORRECTED_LABEL, OUTCOME_LABEL } from "./labels";

const CLEARED: Record<keyof UrlFilters, undefined> = {
  q: undefined,
  model: undefined,
  outcome: undefined,
  correctedBy: undefined,
  tool: undefined,
  from: undefined,
  to: undefined,
};

const OUTCOME_OPTIONS = [
  { value: "", label: "Any outcome" },
  ...TRACE_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABEL[o] })),
];
const CORRECTED_OPTIONS = [
  { value: "", label: "Any" },
  { value: "none", label: "Not corrected" },
  ...CORRECTORS.map((c) => ({ value: c, label: CORRECTED_LABEL[c] })),
];

/**
 * The search (trace id or called tool, any part, any case), and model, outcome, correction, tool
 * and day-range filters. They live in the URL (the caller writes them); the search and the tool
 * name are applied after a short pause in typing.
 */
export function TraceFilters({
  filters,
  onChange,
}: {
  filters: UrlFilters;
  /** Applies a change to the filters as last requested (the URL may lag behind). */
  onChange: (patch: Partial<UrlFilters>) => void;
}) {
  const models = useModels();
  const [tool, setTool] = useState(filters.tool ?? "");
  const [synced, setSynced] = useState(filters.tool ?? "");
  // The URL changed from outside (back button, a link): show its value.
  if ((filters.tool ?? "") !== synced) {
    setSynced(filters.tool ?? "");
    if (tool.trim() !== (filters.tool ?? "")) setTool(filters.tool ?? "");
  }

  useEffect(() => {
    const trimmed = tool.trim();
    if (trimmed === (filters.tool ?? "")) return;
    const t = setTimeout(() => onChange({ tool: trimmed || undefined }), 350);
    return () => clearTimeout(t);
  }, [tool, filters.tool, onChange]);

  const modelOptions = [
    { value: "", label: models.isPending ? "Loading models…" : "Any model" },
    ...[...(models.data ?? [])]
      .sort((x, y) => x.name.localeCompare(y.name))
      .map((m) => ({ value: m.id, label: m.name })),
  ];
  // A model named in the URL that the list does not hold (a link from elsewhere) stays selectable.
  if (filters.model && models.data && !models.data.some((m) => m.id === filters.model))
    modelOptions.push({ value: filters.model, label: filters.model });

  const set = onChange;
  return (
    <form
      className="job-filters"
      role="search"
      aria-label="Filter traces"
      onSubmit={(e) => {
        e.preventDefault();
        set({ tool: tool.trim() || undefined });
      }}
    >
      <SearchBox
        label="Search traces"
        placeholder="Trace id or tool name"
        value={filters.q}
        onSearch={(q) => set({ q })}
        landmark={false}
      />
      <Field label="Model">
        <Select
          options={modelOptions}
          value={filters.model ?? ""}
          onChange={(e) => set({ model: e.currentTarget.value || undefined })}
        />
      </Field>
      <Field label="Outcome">
        <Select
          options={OUTCOME_OPTIONS}
          value={filters.outcome ?? ""}
          onChange={(e) =>
            set({ outcome: (e.currentTarget.value || undefined) as UrlFilters["outcome"] })
          }
        />
      </Field>
      <Field label="Corrected by">
        <Select
          options={CORRECTED_OPTIONS}
          value={filters.correctedBy ?? ""}
          onChange={(e) =>
            set({ correctedBy: (e.currentTarget.value || undefined) as UrlFilters["correctedBy"] })
          }
        />
      </Field>
      <Field label="Tool called">
        <Input
          value={tool}
          placeholder="Any part of a function name"
          autoComplete="off"
          onChange={(e) => setTool(e.currentTarget.value)}
        />
      </Field>
      <Field label="From">
        <Input
          type="date"
          value={filters.from ?? ""}
          max={filters.to}
          onChange={(e) => set({ from: e.currentTarget.value || undefined })}
        />
      </Field>
      <Field label="To">
        <Input
          type="date"
          value={filters.to ?? ""}
          min={filters.from}
          onChange={(e) => set({ to: e.currentTarget.value || undefined })}
        />
      </Field>
      {hasFilters(filters) && (
        <Button
          variant="ghost"
          onClick={() => {
            setTool("");
            onChange(CLEARED);
          }}
        >
          Clear filters
        </Button>
      )}
    </form>
  );
}
