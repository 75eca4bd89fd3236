/**
 * Small helpers shared by the rules: type tests that avoid zod on the per-row hot path, and the
 * wording findings use to say what was found.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whitespace-only or empty. A loop rather than `trim()`, which copies every non-blank string. */
export function isBlank(text: string | null | undefined): boolean {
  if (text == null) return true;
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** JavaScript's `\s`, plus the other ASCII control characters (invisible, teach nothing). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return true;
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** "a string", "an array", "null", … — how a finding names what it found. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing (the field is missing)";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

/** A short JSON-quoted excerpt of untrusted text, so messages stay small and unambiguous. */
export function preview(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** `"a", "b", "c"` (at most 10 keys, each shortened) for `unknown_format` messages. */
export function listKeys(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return "none (an empty object)";
  const shown = keys.slice(0, 10).map((k) => preview(k, 40));
  return keys.length > 10 ? `${shown.join(", ")} (+${keys.length - 10} more)` : shown.join(", ");
}
