"use client";

import { useState } from "react";
import type { DatasetVersionOption } from "@/lib/schemas/version-options";
import { useDatasetVersionOptions } from "@/lib/client/hooks/version-options";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { datasetVersionDetail, datasetVersionLabel } from "@/lib/client/version-option-labels";
import { Combobox, type ComboboxOption } from "@/components/ui/combobox";

const SEARCH_DEBOUNCE_MS = 200;

const toOption = (v: DatasetVersionOption): ComboboxOption => ({
  value: v.id,
  label: datasetVersionLabel(v),
  detail: datasetVersionDetail(v),
});

/**
 * Picks one of the team's READY dataset versions by typing part of its dataset's name ("refund
 * v2"), newest first, with its size and date; clearable, for optional fields.
 */
export function DatasetVersionPicker({
  value,
  onChange,
  disabled,
}: {
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const found = useDatasetVersionOptions({ ...(q ? { q } : {}), status: "READY", limit: 20 });
  const listed = found.data?.some((v) => v.id === value) ?? false;
  // The stored choice (any status: it may be shown, even if no longer offered) by name.
  const given = useDatasetVersionOptions(
    { id: value, limit: 1 },
    { enabled: Boolean(value) && !listed },
  );
  const chosen = given.data?.find((v) => v.id === value);
  return (
    <Combobox
      name="baseDatasetVersionId"
      value={value}
      onChange={(id) => onChange(id)}
      onSearch={setSearch}
      options={(found.data ?? []).map(toOption)}
      selectedLabel={chosen ? datasetVersionLabel(chosen) : value || undefined}
      loading={found.isFetching}
      placeholder="None: type part of a dataset's name to mix one in"
      emptyText={
        found.isError
          ? "Could not load dataset versions"
          : q
            ? `No READY version of a dataset named like “${q}”`
            : "This team has no READY dataset version yet"
      }
      clearable
      disabled={disabled}
    />
  );
}
