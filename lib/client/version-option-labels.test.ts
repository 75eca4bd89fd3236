import { describe, expect, it } from "vitest";
import { formatDateTime } from "./format";
import {
  datasetVersionDetail,
  datasetVersionLabel,
  modelVersionDetail,
  modelVersionLabel,
} from "./version-option-labels";

const AT = "2026-03-01T10:00:00.000Z";

describe("version option labels", () => {
  it("names a model version by Model and number, then stage, aliases and date", () => {
    expect(modelVersionLabel({ modelName: "support agent", version: 3 })).toBe(
      "support agent · v3",
    );
    expect(modelVersionDetail({ stage: "PRODUCTION", aliases: ["champion"], createdAt: AT })).toBe(
      `Production · @champion · registered ${formatDateTime(AT)}`,
    );
    expect(modelVersionDetail({ stage: "CANDIDATE", aliases: [], createdAt: AT })).toBe(
      `Candidate · registered ${formatDateTime(AT)}`,
    );
  });

  it("names a dataset version by dataset and number, then status, rows and date", () => {
    expect(datasetVersionLabel({ datasetName: "refund-calls", version: 2 })).toBe(
      "refund-calls · v2",
    );
    expect(datasetVersionDetail({ status: "READY", validRows: 1200, createdAt: AT })).toBe(
      `Ready · 1,200 valid rows · created ${formatDateTime(AT)}`,
    );
    expect(datasetVersionDetail({ status: "VALIDATING", validRows: null, createdAt: AT })).toBe(
      `Validating · created ${formatDateTime(AT)}`,
    );
  });
});
