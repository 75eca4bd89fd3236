"use client";

import { useModelVersionOptions } from "@/lib/client/hooks/version-options";
import { modelVersionDetail, modelVersionLabel } from "@/lib/client/version-option-labels";
import { SearchPicker } from "@/components/ui/search-picker";

/**
 * Picks one of the team's model versions by typing part of its Model's name ("support v3"),
 * newest first, each with its stage and date.
 */
export function ModelVersionPicker(props: {
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  return (
    <SearchPicker
      {...props}
      name="modelVersionId"
      useOptions={useModelVersionOptions}
      searchQuery={(q) => ({ ...(q ? { q } : {}), limit: 20 })}
      idQuery={(id) => ({ id, limit: 1 })}
      label={modelVersionLabel}
      detail={modelVersionDetail}
      placeholder={(pending) => (pending ? "Loading versions…" : "Type part of a Model's name")}
      emptyText={{
        error: "Could not load model versions",
        noMatch: (q) => `No version of a Model named like “${q}”`,
        none: "This team has no model versions yet",
      }}
    />
  );
}
