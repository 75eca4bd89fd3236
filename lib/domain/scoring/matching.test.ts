import { describe, expect, it } from "vitest";
import { greedyMatching, maxMatching } from "./matching";

describe("maxMatching", () => {
  it("finds the assignment a first-fit pass misses", () => {
    // Left 0 fits right 0 and 1, left 1 fits only right 0: first-fit pairs 0–0 and strands 1.
    const edges = [
      [true, true],
      [true, false],
    ];
    expect(maxMatching(2, 2, (i, j) => edges[i]![j]!)).toEqual([1, 0]);
  });

  it("leaves unmatched items at -1", () => {
    expect(maxMatching(3, 1, () => true)).toEqual([0, -1, -1]);
    expect(maxMatching(2, 2, () => false)).toEqual([-1, -1]);
    expect(maxMatching(0, 0, () => true)).toEqual([]);
  });
});

describe("greedyMatching", () => {
  it("pairs first-come, as BFCL does, and so misses the assignment maxMatching finds", () => {
    const edges = [
      [true, true],
      [true, false],
    ];
    expect(greedyMatching(2, 2, (i, j) => edges[i]![j]!)).toEqual([0, -1]);
    expect(greedyMatching(2, 2, (i, j) => i === j)).toEqual([0, 1]);
    expect(greedyMatching(1, 0, () => true)).toEqual([-1]);
  });
});
