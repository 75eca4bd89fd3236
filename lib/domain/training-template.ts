/**
 * A retrain policy's training template (lib/schemas/retrain.ts `trainingTemplate`): changes to
 * the spec of the job a re-tune copies — the PRODUCTION version's job, else the newest trained
 * version's. Null: that spec as it was. Pure, so the server (which launches the re-tune) and the
 * console (which edits the template as the launch form's fields) read it the same way.
 *
 * A template maps spec fields to new values. Object fields (`hyperparameters`, `compute`) merge
 * key by key; `null` removes a field or a key (switching warmupRatio for warmupSteps removes the
 * ratio, since a spec may not hold both).
 */
export type TrainingTemplate = Record<string, unknown>;

type Spec = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The copied job's spec with the template applied (before the re-tune sets model and data). */
export function applyTrainingTemplate(base: unknown, template: TrainingTemplate | null): Spec {
  const spec: Spec = { ...(isPlainObject(base) ? base : {}) };
  for (const [key, value] of Object.entries(template ?? {})) {
    const current = spec[key];
    if (value === null) delete spec[key];
    else if (isPlainObject(value) && isPlainObject(current)) {
      const merged: Spec = { ...current };
      for (const [k, v] of Object.entries(value)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      spec[key] = merged;
    } else spec[key] = value;
  }
  return spec;
}

/** Fields a template may change; the re-tune sets the model, its dataset and eval set itself. */
export const TEMPLATE_FIELDS = [
  "baseModel",
  "method",
  "backend",
  "executor",
  "hyperparameters",
  "compute",
] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The smallest template that turns `base` into `edited` on TEMPLATE_FIELDS: a changed field's
 * new value, an object field's changed keys (null for a key `edited` no longer has). Null when
 * nothing changed, so a policy that changes nothing stores no template.
 */
export function trainingTemplateOf(base: Spec, edited: Spec): TrainingTemplate | null {
  const template: TrainingTemplate = {};
  for (const field of TEMPLATE_FIELDS) {
    const before = base[field];
    const after = edited[field];
    if (same(before, after)) continue;
    if (isPlainObject(before) && isPlainObject(after)) {
      const changes: Record<string, unknown> = {};
      for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (same(before[k], after[k])) continue;
        changes[k] = after[k] === undefined ? null : after[k];
      }
      template[field] = changes;
    } else template[field] = after === undefined ? null : after;
  }
  return Object.keys(template).length > 0 ? template : null;
}

type TrainedVersion = { version: number; stage: string; trainingJobId: string | null };

/** The version whose job a re-tune copies: PRODUCTION's, else the newest trained version's. */
export function templateSourceVersion<V extends TrainedVersion>(versions: readonly V[]): V | null {
  const trained = versions.filter((v) => v.trainingJobId !== null);
  return (
    trained.find((v) => v.stage === "PRODUCTION") ??
    trained.reduce<V | null>(
      (newest, v) => (!newest || v.version > newest.version ? v : newest),
      null,
    )
  );
}
