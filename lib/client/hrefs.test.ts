import { describe, expect, it } from "vitest";
import { compareHref, retrainingHref, versionCompareHref } from "./hrefs";

describe("hrefs", () => {
  it("encodes ids and joins compared jobs", () => {
    expect(compareHref(["a b", "c"])).toBe("/training-jobs/compare?ids=a%20b,c");
    expect(retrainingHref("m/1")).toBe("/models/m%2F1#retraining");
  });

  it("adds the version compared against only when given", () => {
    expect(versionCompareHref("v1")).toBe("/model-versions/v1/compare");
    expect(versionCompareHref("v1", "v 0")).toBe("/model-versions/v1/compare?against=v%200");
  });
});
