import { formatMetric } from "@/lib/client/format-units";
import { HP_ROWS } from "@/lib/client/hyperparameters";

/** One hyperparameter as the card prints it. */
export type HyperparameterRow = { label: string; text: string };

/** A recorded value as text: lists joined, numbers at metric precision, objects as JSON. */
export function hyperparameterText(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "number") return formatMetric(v);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * The version's recorded hyperparameters: the known ones in the launch form's order with their
 * names, then any others (a registered adapter may carry its own) by key, alphabetically.
 */
export function hyperparameterRows(hp: Record<string, unknown>): HyperparameterRow[] {
  const known = new Set<string>(HP_ROWS.map((r) => r.key));
  return [
    ...HP_ROWS.filter((r) => hp[r.key] !== undefined).map((r) => ({
      label: r.label,
      text: hyperparameterText(hp[r.key]),
    })),
    ...Object.keys(hp)
      .filter((k) => !known.has(k))
      .sort()
      .map((k) => ({ label: k, text: hyperparameterText(hp[k]) })),
  ];
}
