"use client";

import { useState } from "react";
import type { ModelVersionOption } from "@/lib/schemas/version-options";
import { useModelVersionOptions } from "@/lib/client/hooks/version-options";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { modelVersionDetail, modelVersionLabel } from "@/lib/client/version-option-labels";
import { Combobox, type ComboboxOption } from "@/components/ui/combobox";

const SEARCH_DEBOUNCE_MS = 200;

const toOption = (v: ModelVersionOption): ComboboxOption => ({
  value: v.id,
  label: modelVersionLabel(v),
  detail: modelVersionDetail(v),
});

/**
 * Picks one of the team's model versions by typing part of its Model's name ("support v3"),
 * newest first, each with its stage and date: no id is pasted.
 */
export function ModelVersionPicker({
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
  const found = useModelVersionOptions({ ...(q ? { q } : {}), limit: 20 });
  const listed = found.data?.some((v) => v.id === value) ?? false;
  // A version given from outside (the version page's "Run eval") is shown by name.
  const given = useModelVersionOptions(
    { id: value, limit: 1 },
    { enabled: Boolean(value) && !listed },
  );
  const chosen = given.data?.find((v) => v.id === value);
  return (
    <Combobox
      name="modelVersionId"
      value={value}
      onChange={(id) => onChange(id)}
      onSearch={setSearch}
      options={(found.data ?? []).map(toOption)}
      selectedLabel={chosen ? modelVersionLabel(chosen) : undefined}
      loading={found.isFetching}
      placeholder={found.isPending ? "Loading versions…" : "Type part of a Model's name"}
      emptyText={
        found.isError
          ? "Could not load model versions"
          : q
            ? `No version of a Model named like “${q}”`
            : "This team has no model versions yet"
      }
      disabled={disabled}
    />
  );
}
