import { z } from "zod";

/** Longest search text a list accepts: names are short, and a longer pattern only costs. */
export const SEARCH_MAX_LENGTH = 200;

/**
 * `q` of every list endpoint and console list: text matched as a case-insensitive substring of
 * the list's names (each list says which). Trimmed; blank means no search. `%`, `_` and `\` are
 * literal characters, not wildcards (lib/server/core/search.ts).
 */
export const searchTextSchema = z
  .string()
  .trim()
  .max(SEARCH_MAX_LENGTH, `search text is at most ${SEARCH_MAX_LENGTH} characters`)
  .optional()
  .transform((v) => v || undefined);

/** The query of a list whose only parameter is the search (datasets, models, eval suites). */
export const listSearchQuerySchema = z.object({ q: searchTextSchema });
export type ListSearchQuery = z.input<typeof listSearchQuerySchema>;
