import { describe, expect, it } from "vitest";
import { currentPoints, pivot } from "./chart-data";
import { parseIds } from "./compare-ids";

const pt = (step: number, name: string, value: number, attempt = 1) => ({
  step,
  name,
  value,
  attempt,
});

describe("currentPoints", () => {
  const points = [pt(1, "loss", 2), pt(2, "loss", 1.8), pt(3, "loss", 1.7), pt(1, "loss", 2.1, 2)];

  it("drops an older attempt's points past where the current one resumed", () => {
    expect(currentPoints(points, 2, null).map((p) => p.step)).toEqual([1]);
    expect(currentPoints(points, 2, 2).map((p) => [p.step, p.attempt])).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
    ]);
  });

  it("keeps the previous curve until the new attempt logs", () => {
    expect(currentPoints(points.slice(0, 3), 2, null)).toHaveLength(3);
  });
});

describe("pivot", () => {
  it("makes one row per step with a column per metric", () => {
    expect(pivot([pt(2, "loss", 1), pt(1, "loss", 2), pt(2, "eval_loss", 1.5)])).toEqual([
      { step: 1, loss: 2 },
      { step: 2, loss: 1, eval_loss: 1.5 },
    ]);
  });
});

describe("parseIds", () => {
  it("splits, trims, dedupes and caps", () => {
    expect(parseIds(" a,b,,a , c")).toEqual(["a", "b", "c"]);
    expect(parseIds(undefined)).toEqual([]);
    expect(parseIds(Array.from({ length: 12 }, (_, i) => `j${i}`).join(","))).toHaveLength(8);
  });
});
