import type { TraceDetail } from "@/lib/schemas/traces";

type Message = TraceDetail["messages"][number];

/** Messages compared by value: key order in a producer's JSON does not make two differ. */
function same(a: Message, b: Message): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
}

/**
 * A corrected trace as a person compares it: the messages both versions share from the start
 * (the system prompt, the user's ask), shown once, then the two endings side by side.
 * `from` is the 0-based index of the first message that differs.
 */
export function splitCorrection(original: readonly Message[], corrected: readonly Message[]) {
  let from = 0;
  while (
    from < original.length &&
    from < corrected.length &&
    same(original[from]!, corrected[from]!)
  )
    from++;
  return {
    shared: corrected.slice(0, from),
    original: original.slice(from),
    corrected: corrected.slice(from),
    from,
  };
}
