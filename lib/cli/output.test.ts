import { describe, expect, it } from "vitest";
import type { DatasetVersion } from "@/lib/schemas/datasets";
import {
  formatDatasetVersion,
  formatFindings,
  formatLossLine,
  keyValues,
  Output,
  table,
} from "./output";

function capture() {
  let text = "";
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

describe("Output", () => {
  it("prints text results on stdout and status on stderr", () => {
    const out = capture();
    const err = capture();
    const o = new Output(false, out.stream, err.stream);
    o.result({ id: "x" }, "x");
    o.info("uploaded");
    expect(out.text()).toBe("x\n");
    expect(err.text()).toBe("uploaded\n");
  });

  it("with --json, stdout holds only JSON", () => {
    const out = capture();
    const err = capture();
    const o = new Output(true, out.stream, err.stream);
    o.line("step 1  loss 2");
    o.result({ id: "x", n: 1 }, () => "never rendered");
    o.info("progress goes to stderr");
    expect(JSON.parse(out.text())).toEqual({ id: "x", n: 1 });
    expect(err.text()).toBe("progress goes to stderr\n");
  });

  it("streams events as one JSON object per line", () => {
    const out = capture();
    const o = new Output(true, out.stream, capture().stream);
    o.event({ event: "metric", step: 1 });
    o.event({ event: "end" });
    expect(
      out
        .text()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ event: "metric", step: 1 }, { event: "end" }]);
  });
});

describe("table and keyValues", () => {
  it("pads columns to the widest cell and shows missing values as a dash", () => {
    expect(
      table(
        ["name", "versions", "id"],
        [
          ["support-agent", 3, "m1"],
          ["x", null, "m2"],
        ],
      ),
    ).toBe(
      [
        "name           versions  id",
        "support-agent  3         m1",
        "x              —         m2",
      ].join("\n"),
    );
  });

  it("leaves out empty values", () => {
    expect(
      keyValues([
        ["stage", "CANDIDATE"],
        ["aliases", null],
        ["base model", "retune/tiny-chat"],
      ]),
    ).toBe("stage       CANDIDATE\nbase model  retune/tiny-chat");
  });
});

const version: DatasetVersion = {
  id: "v1",
  datasetId: "d1",
  version: 2,
  status: "INVALID",
  contentHash: "abc",
  sizeBytes: 2048,
  processedBytes: 2048,
  format: "tool_calling",
  provenance: "synthetic",
  evalFraction: 0.1,
  baseModel: null,
  parentVersionId: null,
  stats: {
    rows: 120,
    validRows: 117,
    blankLines: 0,
    sourceFormat: "tool_calling",
    tokens: {
      total: 12_000,
      mean: 100,
      p50: 90,
      p95: 180,
      max: 240,
      exact: true,
      tokenizer: "llama3",
    },
    assistantTokenShare: 0.3,
    turns: { mean: 3, max: 5 },
    toolCallShare: 0.5,
    toolCounts: {},
    provenance: { synthetic: 1 },
    lengthHistogram: [],
    split: { train: 105, eval: 12, evalFraction: 0.1 },
  },
  report: {
    findings: [
      {
        line: null,
        severity: "warning",
        code: "synthetic_majority",
        message: "most rows are synthetic",
      },
      { line: 40, severity: "error", code: "invalid_json", message: "Unexpected token" },
      {
        line: 7,
        severity: "error",
        code: "undeclared_tool",
        message: "calls get_weather, which the row does not declare",
        field: "messages[2].tool_calls[0]",
      },
    ],
    countsByCode: { invalid_json: 60, undeclared_tool: 1, synthetic_majority: 1 },
    errorLines: 61,
    warningLines: 0,
    keptPerCode: 50,
  },
  error: null,
  createdAt: "2026-12-01T10:00:00.000Z",
};

describe("validation report", () => {
  it("lists findings by line, dataset-wide ones last, with the field", () => {
    const lines = formatFindings(version.report!.findings).split("\n");
    expect(lines[0]).toMatch(/^line\s+severity\s+code\s+message$/);
    expect(lines[1]).toMatch(
      /^7\s+error\s+undeclared_tool\s+calls get_weather, which the row does not declare \(messages\[2\]\.tool_calls\[0\]\)$/,
    );
    expect(lines[2]).toMatch(/^40\s+error\s+invalid_json\s+Unexpected token$/);
    expect(lines[3]).toMatch(/^—\s+warning\s+synthetic_majority/);
  });

  it("prints status, statistics and how many findings were only counted", () => {
    const text = formatDatasetVersion(version);
    expect(text).toContain("dataset version 2 INVALID  (id v1)");
    expect(text).toContain("rows        120 (117 valid)");
    expect(text).toContain("tokens      12,000 (llama3); per row mean 100, p95 180, max 240");
    expect(text).toContain("split       105 train / 12 eval");
    expect(text).toContain("findings: 61 lines with errors, 0 with warnings");
    expect(text).toContain("(invalid_json: 60 found, the first 1 listed)");
    expect(text).not.toContain("undeclared_tool: 1 found");
  });

  it("says so when a version has no findings", () => {
    const clean = {
      ...version,
      status: "READY" as const,
      report: { ...version.report!, findings: [], countsByCode: {} },
    };
    expect(formatDatasetVersion(clean)).toContain("no findings");
  });
});

describe("formatLossLine", () => {
  it("names the step of the run and each loss with 4 significant digits", () => {
    expect(
      formatLossLine(12, 60, [
        ["loss", 1.234567],
        ["eval_loss", 1.30149],
      ]),
    ).toBe("step 12/60  loss 1.235  eval_loss 1.301");
    expect(formatLossLine(3, null, [["loss", 0.00001234]])).toBe("step 3  loss 1.23e-5");
  });
});
