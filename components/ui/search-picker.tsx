"use client";

import { useState } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { Combobox, type ComboboxOption } from "./combobox";

const SEARCH_DEBOUNCE_MS = 200;

type SearchPickerProps<T extends { id: string }, Q> = {
  /** The picked row's id; "" for none. */
  value: string;
  onChange: (id: string) => void;
  /** The options hook (React Query): one page of rows for a query. */
  useOptions: (query: Q, opts: { enabled: boolean }) => UseQueryResult<T[]>;
  /** The query for what is typed ("" before anything is): a server-side search. */
  searchQuery: (q: string) => Q;
  /** The query for the picked row alone, when the current search does not hold it. */
  idQuery: (id: string) => Q;
  label: (row: T) => string;
  detail: (row: T) => string;
  name: string;
  placeholder: (pending: boolean) => string;
  emptyText: { error: string; none: string; noMatch: (q: string) => string };
  clearable?: boolean;
  disabled?: boolean;
};

/**
 * Picks one of the team's rows by typing part of its name, searched on the server as the person
 * types (debounced): no id is pasted. A value given from outside (a page's "Run eval", a stored
 * choice) is looked up on its own and shown by name.
 */
export function SearchPicker<T extends { id: string }, Q>({
  value,
  onChange,
  useOptions,
  searchQuery,
  idQuery,
  label,
  detail,
  name,
  placeholder,
  emptyText,
  clearable,
  disabled,
}: SearchPickerProps<T, Q>) {
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const found = useOptions(searchQuery(q), { enabled: true });
  const listed = found.data?.some((row) => row.id === value) ?? false;
  const given = useOptions(idQuery(value), { enabled: Boolean(value) && !listed });
  const chosen = given.data?.find((row) => row.id === value);
  // Looked up and not found (deleted, or another team's): the id, rather than a blank field.
  const unknown = Boolean(value) && given.isSuccess && !chosen;
  const options: ComboboxOption[] = (found.data ?? []).map((row) => ({
    value: row.id,
    label: label(row),
    detail: detail(row),
  }));
  return (
    <Combobox
      name={name}
      value={value}
      onChange={(id) => onChange(id)}
      onSearch={setSearch}
      options={options}
      selectedLabel={chosen ? label(chosen) : unknown ? value : undefined}
      loading={found.isFetching}
      placeholder={placeholder(found.isPending)}
      emptyText={found.isError ? emptyText.error : q ? emptyText.noMatch(q) : emptyText.none}
      clearable={clearable}
      disabled={disabled}
    />
  );
}
