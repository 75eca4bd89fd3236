import { describe, expect, it } from "vitest";
import { auditTargetHref } from "./audit-links";

const t = (targetType: string, targetId = "id-1", targetParentId: string | null = null) => ({
  targetType,
  targetId,
  targetLabel: "named",
  targetParentId,
});

describe("auditTargetHref", () => {
  it.each([
    ["model", "/models/id-1"],
    ["model-version", "/model-versions/id-1"],
    ["dataset", "/datasets/id-1"],
    ["training-job", "/training-jobs/id-1"],
    ["eval-run", "/evals/runs/id-1"],
    ["monitor", "/monitors/id-1"],
    ["api-key", "/settings/api-keys"],
    ["member", "/settings/members"],
    ["secret", "/settings/secrets"],
  ])("links a %s to %s", (type, href) => {
    expect(auditTargetHref(t(type))).toBe(href);
  });

  it("links pages under a parent through it", () => {
    expect(auditTargetHref(t("dataset-version", "v-1", "d-1"))).toBe("/datasets/d-1/versions/v-1");
    expect(auditTargetHref(t("retrain", "r-1", "m-1"))).toBe("/models/m-1#retraining");
    expect(auditTargetHref(t("dataset-version", "v-1", null))).toBeNull();
  });

  it("does not link what is gone or has no page", () => {
    expect(auditTargetHref({ ...t("model"), targetLabel: null })).toBeNull();
    expect(auditTargetHref(t("user"))).toBeNull();
    expect(
      auditTargetHref({
        targetType: null,
        targetId: null,
        targetLabel: null,
        targetParentId: null,
      }),
    ).toBeNull();
  });

  it("escapes ids", () => {
    expect(auditTargetHref(t("model", "a/b"))).toBe("/models/a%2Fb");
  });
});
