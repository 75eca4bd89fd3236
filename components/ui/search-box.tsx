"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useEffectEvent, useState } from "react";
import { SEARCH_MAX_LENGTH, searchTextSchema } from "@/lib/schemas/search";
import { EmptyState } from "./empty-state";
import { Field } from "./field";
import { Input } from "./input";

/** How long typing pauses before the search is applied (one request per pause, not per key). */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The list's search text in the URL (`?q=`), so a search can be linked, survives a reload and
 * comes back with the back button; and a setter that replaces it, keeping every other parameter.
 * `router.replace`, not push: typing is not history, the page the search was made on is.
 */
export function useSearchParam(): [string | undefined, (q: string | undefined) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const parsed = searchTextSchema.safeParse(params.get("q") ?? undefined);
  const q = parsed.success ? parsed.data : undefined;
  const set = useCallback(
    (next: string | undefined) => {
      const p = new URLSearchParams(params.toString());
      if (next) p.set("q", next);
      else p.delete("q");
      const qs = p.toString();
      router.replace(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false });
    },
    [params, router, pathname],
  );
  return [q, set];
}

/**
 * A search field for a list: what is typed is handed to `onSearch` (trimmed, blank as undefined)
 * after a short pause, at once on Enter, and cleared on Escape. `value` is the search in force
 * (from the URL): when it changes from outside (back button, a link) the field shows it.
 */
export function SearchBox({
  label,
  placeholder,
  value,
  onSearch,
  landmark = true,
}: {
  /** The field's visible label and accessible name, e.g. "Search datasets". */
  label: string;
  /** What the search looks at, e.g. "Name or description". */
  placeholder?: string;
  value: string | undefined;
  onSearch: (q: string | undefined) => void;
  /** A search landmark of its own; false inside a filter form that is one already. */
  landmark?: boolean;
}) {
  const current = value ?? "";
  const [text, setText] = useState(current);
  const [synced, setSynced] = useState(current);
  // The last search handed over: when it lands in `value`, what was typed since is kept.
  const [sent, setSent] = useState(current);
  if (current !== synced) {
    setSynced(current);
    // Changed from outside (back button, a link, "Clear filters"): the field shows it.
    if (current !== sent) {
      setSent(current);
      setText(current);
    }
  }

  const search = (next: string) => {
    setSent(next);
    onSearch(next || undefined);
  };
  // The latest callback, without restarting the pause on every render of the list (a poll).
  const searchAfterPause = useEffectEvent(search);
  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === current) return;
    const t = setTimeout(() => searchAfterPause(trimmed), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, current]);

  return (
    <div className="search-box" role={landmark ? "search" : undefined}>
      <Field label={label}>
        <Input
          type="search"
          value={text}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          maxLength={SEARCH_MAX_LENGTH}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              // Inside a filter form Enter would submit it: the search is applied here instead.
              e.preventDefault();
              search(text.trim());
            } else if (e.key === "Escape" && text) {
              setText("");
              search("");
            }
          }}
        />
      </Field>
    </div>
  );
}

/** A list's empty state when the search matched nothing (not "nothing here yet"). */
export function NoSearchMatches({
  noun,
  q,
  lookedAt,
}: {
  noun: string;
  q: string;
  lookedAt: string;
}) {
  return (
    <EmptyState
      title={`No ${noun} match “${q}”`}
      description={`The search looks for the text anywhere in ${lookedAt}, in any case. Try part of a name, or clear the search.`}
    />
  );
}
