import { describe, expect, it } from "vitest";
import { evalLossWarning, type MetricSample } from "./training-signals";

const series = (name: string, values: number[], every = 25): MetricSample[] =>
  values.map((value, i) => ({ step: (i + 1) * every, name, value }));

describe("evalLossWarning", () => {
  it("names an overfitting run: eval loss rising for evaluations in a row while train loss falls", () => {
    const points = [
      ...series("eval_loss", [0.9, 0.7, 0.61, 0.66, 0.72, 0.79, 0.83], 50),
      ...series("loss", [1.4, 1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.08, 0.06, 0.05]),
    ];
    const w = evalLossWarning(points)!;
    expect(w.code).toBe("overfitting");
    expect(w.message).toMatch(
      /^eval loss rose for 4 evaluations in a row after its best \(0\.61 at step 150 → 0\.83 at step 350\) while train loss fell \(0\.60 → 0\.06\): the run is overfitting/,
    );
  });

  it("calls it diverging when train loss rises with eval loss", () => {
    const points = [
      ...series("eval_loss", [1.0, 0.8, 0.9, 1.1, 1.5], 50),
      ...series("loss", [1.2, 1.0, 0.8, 0.8, 0.9, 1.0, 1.2, 1.4, 1.7, 2.0]),
    ];
    expect(evalLossWarning(points)).toMatchObject({
      code: "diverging",
      message: expect.stringContaining("lower the learning rate"),
    });
  });

  it("stays quiet on a healthy run, noise, a short series or a recovery", () => {
    const falling = series("eval_loss", [0.9, 0.8, 0.7, 0.65, 0.6]);
    expect(evalLossWarning(falling)).toBeNull();
    // Two evaluations above the best are not yet a trend.
    expect(evalLossWarning(series("eval_loss", [0.9, 0.6, 0.7, 0.8]))).toBeNull();
    // Three above, but within 2 % of the best: noise.
    expect(evalLossWarning(series("eval_loss", [0.9, 0.6, 0.605, 0.606, 0.61]))).toBeNull();
    // A new best at the end resets it.
    expect(evalLossWarning(series("eval_loss", [0.9, 0.6, 0.7, 0.8, 0.9, 0.5]))).toBeNull();
    expect(evalLossWarning([])).toBeNull();
    expect(evalLossWarning(series("loss", [3, 2, 1, 2, 3, 4]))).toBeNull();
  });

  it("reads points in any order and without train loss", () => {
    const points = series("eval_loss", [0.5, 0.55, 0.6, 0.7]).reverse();
    expect(evalLossWarning(points)).toMatchObject({
      code: "overfitting",
      message: expect.stringContaining("3 evaluations in a row after its best (0.50 at step 25"),
    });
  });
});
