import type { Hyperparameters } from "@/lib/schemas/training-jobs";
import { formatMetric } from "@/lib/client/format-units";
import { HP_ROWS } from "@/lib/client/hyperparameters";

export function hpValue(hp: Hyperparameters, key: keyof Hyperparameters): string {
  const v = hp[key];
  if (v === undefined || v === null) return "—";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "number")
    return key === "learningRate" ? Number(v.toPrecision(3)).toExponential() : formatMetric(v);
  return String(v);
}

export function HyperparameterList({ hp }: { hp: Hyperparameters }) {
  return (
    <dl className="hp-list" aria-label="Hyperparameters">
      {HP_ROWS.filter((r) => hp[r.key] !== undefined).map((r) => (
        <div key={r.key}>
          <dt>{r.label}</dt>
          <dd className="mono">{hpValue(hp, r.key)}</dd>
        </div>
      ))}
    </dl>
  );
}
