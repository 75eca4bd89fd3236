/**
 * Substring search of the console's lists (issue #18): `q` is matched case-insensitively
 * anywhere in a list's names, with PostgreSQL's ILIKE '%…%' (Prisma's `contains` with
 * `mode: "insensitive"`). The lists that grow without bound have pg_trgm GIN indexes on the
 * columns searched (migration list_search), which serve exactly such patterns.
 */

/**
 * `text` with LIKE's wildcards made literal: `%` and `_` match themselves, and `\` (LIKE's escape
 * character in PostgreSQL) is itself escaped. Prisma's `contains` passes its value into the
 * pattern as it is, so "50%" would otherwise match "500".
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A Prisma string filter: `text` anywhere in the column, any case, wildcards literal. */
export function containsText(text: string): { contains: string; mode: "insensitive" } {
  return { contains: escapeLike(text), mode: "insensitive" };
}
