/** Jobs on one compare chart at most (past that the lines are unreadable). */
export const MAX_COMPARE = 8;

/** ?ids=a,b,c → distinct ids in order, at most MAX_COMPARE. */
export function parseIds(raw: string | undefined): string[] {
  const ids = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(ids)].slice(0, MAX_COMPARE);
}
