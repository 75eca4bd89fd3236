import type { TrainingWarning } from "@/lib/schemas/training-jobs";
import { Notice } from "@/components/ui/notice";

const TITLE: Record<TrainingWarning["code"], string> = {
  many_epochs: "Many epochs",
  overfitting: "Overfitting",
  diverging: "Diverging",
};

/**
 * What a run's numbers warn about (lib/domain/training-signals.ts), in words: shown beside the
 * estimate and the loss curve. Warnings never block a launch.
 */
export function TrainingWarnings({ warnings }: { warnings: readonly TrainingWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="stack" role="group" aria-label="Warnings">
      {warnings.map((w) => (
        <Notice key={w.code} tone="warning">
          <strong>{TITLE[w.code]}:</strong> {w.message}.
        </Notice>
      ))}
    </div>
  );
}
