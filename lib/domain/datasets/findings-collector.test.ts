import { describe, expect, it } from "vitest";
import { reportSchema, type Finding } from "@/lib/schemas/datasets";
import { FindingsCollector } from "./findings-collector";

const f = (line: number | null, code: Finding["code"], severity: Finding["severity"] = "error") =>
  ({ line, severity, code, message: `${code} on ${line}` }) satisfies Finding;

describe("FindingsCollector", () => {
  it("keeps the first N per code, counts all, and tracks error and warning lines", () => {
    const c = new FindingsCollector(2);
    for (let line = 1; line <= 5; line++) c.add(f(line, "invalid_json"));
    c.add(f(2, "role_order"));
    c.add(f(3, "pii_email", "warning"));
    c.addAll([f(6, "duplicate_example", "warning"), f(null, "synthetic_majority", "warning")]);
    expect(c.errorLines).toBe(5);
    expect(c.warningLines).toBe(2);
    expect(c.hasError(2)).toBe(true);
    expect(c.hasError(6)).toBe(false);
    expect([...c.errorLineNumbers()]).toEqual([1, 2, 3, 4, 5]);

    const report = c.report();
    expect(reportSchema.parse(report)).toEqual(report);
    expect(report.countsByCode).toEqual({
      invalid_json: 5,
      role_order: 1,
      pii_email: 1,
      duplicate_example: 1,
      synthetic_majority: 1,
    });
    expect(report.keptPerCode).toBe(2);
    expect(report.findings.map((x) => [x.line, x.code])).toEqual([
      [null, "synthetic_majority"],
      [1, "invalid_json"],
      [2, "invalid_json"],
      [2, "role_order"],
      [3, "pii_email"],
      [6, "duplicate_example"],
    ]);
  });

  it("defaults to 50 kept per code and an empty report", () => {
    const c = new FindingsCollector();
    expect(c.report()).toEqual({
      findings: [],
      countsByCode: {},
      errorLines: 0,
      warningLines: 0,
      keptPerCode: 50,
    });
    for (let line = 1; line <= 120; line++) c.add(f(line, "not_an_object"));
    expect(c.report().findings).toHaveLength(50);
    expect(c.report().countsByCode.not_an_object).toBe(120);
  });
});
