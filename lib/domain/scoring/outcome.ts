/**
 * One case metric's result before it is folded into CaseScores: a 0/1 score and, on a 0, the
 * reason a person can act on. A scorer returns null instead when its metric does not apply to
 * the case (the metric is then absent, not 0, so it does not drag the run's mean).
 */
export type Outcome = { score: 0 | 1; reason: string | null };

export const PASS: Outcome = { score: 1, reason: null };

export function fail(reason: string): Outcome {
  return { score: 0, reason };
}

/** A short JSON rendering of a value for reasons, so long arguments do not flood the UI. */
export function show(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The JSON Schema word for a value's type: what "got …" says in a type mismatch. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? "integer" : "number";
    case "object":
      return "object";
    default:
      return typeof value;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
