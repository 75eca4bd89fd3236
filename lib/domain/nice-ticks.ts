/**
 * Round axis ticks for charts, the way d3's `scale.nice()` and `ticks()` choose them: a step of
 * 1, 2 or 5 times a power of ten, and a domain widened to whole steps. A share that peaks at
 * 46.7% gets 0, 10, …, 50% instead of ticks at fifths of 46.7% (9.34%, 18.68%, …).
 */

export type NiceScale = {
  /** The axis range: the data's range widened to whole steps (and cut to `clamp`). */
  domain: [number, number];
  /** Tick values from domain[0] to domain[1], `step` apart. */
  ticks: number[];
  step: number;
};

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** The step, 1, 2 or 5 × 10^k, that cuts [start, stop] into about `count` parts (d3's tickStep). */
export function tickStep(start: number, stop: number, count: number): number {
  const raw = Math.abs(stop - start) / Math.max(1, count);
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  return factor * 10 ** power;
}

/** A multiple of `step`, without the binary noise of `i * step` (0.30000000000000004). */
function multiple(i: number, step: number): number {
  return Number((i * step).toPrecision(12));
}

/**
 * Nice ticks over [min, max] (about `count` of them, at least 2). A flat series (min = max) gets
 * a range around its value, a series at 0 the range [0, 1]. `clamp` caps the domain for values
 * that cannot leave a range (a rate never passes 100%) while keeping the data inside it.
 */
export function niceScale(
  min: number,
  max: number,
  { count = 5, clamp }: { count?: number; clamp?: [number, number] } = {},
): NiceScale {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo = lo === 0 ? 0 : lo - pad;
    hi = hi + pad;
    if (min >= 0 && lo < 0) lo = 0;
  }
  // d3's nice(): widening to whole steps can change the step, so repeat until it settles.
  let step = tickStep(lo, hi, count);
  for (let i = 0; i < 10; i++) {
    const nlo = Math.floor(lo / step) * step;
    const nhi = Math.ceil(hi / step) * step;
    const next = tickStep(nlo, nhi, count);
    lo = nlo;
    hi = nhi;
    if (next === step) break;
    step = next;
  }
  if (clamp) {
    lo = Math.max(lo, clamp[0]);
    hi = Math.min(hi, clamp[1]);
  }
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(multiple(i, step));
  return { domain: [multiple(lo / step, step), multiple(hi / step, step)], ticks, step };
}
