import type { TrainingEstimate } from "@/lib/schemas/training-jobs";
import { formatGb } from "@/lib/client/format-units";

const PARTS = [
  { key: "weights", label: "Base weights" },
  { key: "adapters", label: "Adapters + optimizer" },
  { key: "activations", label: "Activations" },
  { key: "logits", label: "Logits" },
  { key: "runtime", label: "Runtime" },
] as const;

/**
 * Where the GPU memory goes, as one stacked bar against the GPU's memory (the dashed line);
 * the legend carries the numbers, so colour is never the only key.
 */
export function VramBar({ estimate, gpuLabel }: { estimate: TrainingEstimate; gpuLabel: string }) {
  const total = estimate.vramGb;
  const capacity = estimate.gpuMemoryGb;
  const scale = Math.max(total, capacity ?? 0) || 1;
  const summary = PARTS.map((p) => `${p.label} ${formatGb(estimate.breakdownGb[p.key])}`).join(
    ", ",
  );
  return (
    <figure className="vram" aria-label={`GPU memory: ${formatGb(total)} needed. ${summary}`}>
      <div className="vram-track" role="img" aria-label={summary}>
        {PARTS.map((p) => {
          const gb = estimate.breakdownGb[p.key];
          if (gb <= 0) return null;
          return (
            <span
              key={p.key}
              className={`vram-seg vram-${p.key}`}
              style={{ width: `${(gb / scale) * 100}%` }}
              title={`${p.label}: ${formatGb(gb)}`}
            />
          );
        })}
        {capacity !== null && (
          <span
            className="vram-capacity"
            style={{ left: `${Math.min(100, (capacity / scale) * 100)}%` }}
            title={`${gpuLabel}: ${formatGb(capacity)}`}
          />
        )}
      </div>
      <ul className="vram-legend">
        {PARTS.map((p) => (
          <li key={p.key}>
            <span className={`vram-swatch vram-${p.key}`} aria-hidden="true" />
            {p.label} <span className="mono">{formatGb(estimate.breakdownGb[p.key])}</span>
          </li>
        ))}
        {capacity !== null && (
          <li>
            <span className="vram-swatch vram-swatch-capacity" aria-hidden="true" />
            {gpuLabel} <span className="mono">{formatGb(capacity)}</span>
          </li>
        )}
      </ul>
    </figure>
  );
}
