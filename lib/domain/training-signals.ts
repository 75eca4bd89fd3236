/**
 * Verdicts a run's numbers support, in words: warnings, never blockers. The estimate warns
 * before launch (training-estimate.ts: too many passes over the data); the metric points warn
 * during and after training (evalLossWarning: held-out loss rising while training goes on).
 */

export const TRAINING_WARNING_CODES = ["many_epochs", "overfitting", "diverging"] as const;
export type TrainingWarningCode = (typeof TRAINING_WARNING_CODES)[number];
export type TrainingWarning = { code: TrainingWarningCode; message: string };

export type MetricSample = { step: number; name: string; value: number };

/**
 * Evaluations after the best eval loss, all above it, before the rise counts: one or two higher
 * evaluations are noise on a small eval split (a couple of dozen rows); three in a row are a
 * trend.
 */
export const MIN_EVALS_ABOVE_BEST = 3;
/** The newest eval loss must be this much (relative) above the best: less is noise. */
export const MIN_RELATIVE_RISE = 0.02;
/** Train-loss points averaged on each side of the comparison (train loss is noisy per batch). */
const TRAIN_WINDOW = 3;

/**
 * Warns when eval loss has risen above its best for MIN_EVALS_ABOVE_BEST evaluations in a row,
 * up to the newest, and ended at least MIN_RELATIVE_RISE above it. With train loss falling over
 * the same steps the run is overfitting (memorizing its training rows); with train loss rising
 * too it is diverging (usually a learning rate too high). Null when the series says neither, or
 * is too short to say. Points may come in any order; `eval_loss` and `loss` are the trainer's
 * names (lib/domain/trainer-log.ts).
 */
export function evalLossWarning(points: readonly MetricSample[]): TrainingWarning | null {
  const series = (name: string) =>
    points
      .filter((p) => p.name === name && Number.isFinite(p.value))
      .sort((a, b) => a.step - b.step);
  const evals = series("eval_loss");
  if (evals.length < MIN_EVALS_ABOVE_BEST + 1) return null;
  // The last occurrence of the minimum: every evaluation after it is strictly above it.
  let best = 0;
  for (let i = 1; i < evals.length; i++) if (evals[i]!.value <= evals[best]!.value) best = i;
  const above = evals.length - 1 - best;
  const first = evals[best]!;
  const last = evals.at(-1)!;
  if (above < MIN_EVALS_ABOVE_BEST) return null;
  if (last.value < first.value * (1 + MIN_RELATIVE_RISE)) return null;

  const rise = `eval loss rose for ${above} evaluations in a row after its best (${fmt(first.value)} at step ${first.step} → ${fmt(last.value)} at step ${last.step})`;
  const train = series("loss");
  const before = train.filter((p) => p.step <= first.step).slice(-TRAIN_WINDOW);
  const after = train.filter((p) => p.step > first.step).slice(-TRAIN_WINDOW);
  if (before.length === 0 || after.length === 0) {
    return {
      code: "overfitting",
      message: `${rise}: the adapter is getting worse on held-out data; the checkpoint near step ${first.step} generalizes better than later ones`,
    };
  }
  const then = mean(before);
  const now = mean(after);
  if (now < then) {
    return {
      code: "overfitting",
      message: `${rise} while train loss fell (${fmt(then)} → ${fmt(now)}): the run is overfitting, memorizing its training rows; the checkpoint near step ${first.step} generalizes better. Train for fewer steps or on more data`,
    };
  }
  return {
    code: "diverging",
    message: `${rise} and train loss rose too (${fmt(then)} → ${fmt(now)}): training is diverging; lower the learning rate`,
  };
}

function mean(points: readonly MetricSample[]): number {
  return points.reduce((s, p) => s + p.value, 0) / points.length;
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
