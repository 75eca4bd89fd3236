"use client";

import { useDatasetVersionOptions } from "@/lib/client/hooks/version-options";
import { datasetVersionDetail, datasetVersionLabel } from "@/lib/client/version-option-labels";
import { SearchPicker } from "@/components/ui/search-picker";

/**
 * Picks one of the team's READY dataset versions by typing part of its dataset's name ("refund
 * v2"), newest first, with its size and date; clearable, for optional fields. The stored choice
 * is looked up in any status: it is shown even when no longer offered.
 */
export function DatasetVersionPicker(props: {
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  return (
    <SearchPicker
      {...props}
      name="baseDatasetVersionId"
      useOptions={useDatasetVersionOptions}
      searchQuery={(q) => ({ ...(q ? { q } : {}), status: "READY" as const, limit: 20 })}
      idQuery={(id) => ({ id, limit: 1 })}
      label={datasetVersionLabel}
      detail={datasetVersionDetail}
      placeholder={() => "None: type part of a dataset's name to mix one in"}
      emptyText={{
        error: "Could not load dataset versions",
        noMatch: (q) => `No READY version of a dataset named like “${q}”`,
        none: "This team has no READY dataset version yet",
      }}
      clearable
    />
  );
}
