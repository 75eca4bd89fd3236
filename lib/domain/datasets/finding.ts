import type { Finding, FindingCode } from "@/lib/schemas/datasets";

/** One place that builds findings, so `field` is left out (not `undefined`) when there is none. */
export function finding(
  line: number | null,
  severity: Finding["severity"],
  code: FindingCode,
  message: string,
  field?: string,
): Finding {
  return field === undefined
    ? { line, severity, code, message }
    : { line, severity, code, message, field };
}

export function hasErrorFinding(findings: readonly Finding[]): boolean {
  for (let i = 0; i < findings.length; i++) if (findings[i]!.severity === "error") return true;
  return false;
}

/** Pushes an error finding and returns null, so readers can `return shapeError(…)`. */
export function shapeError(
  findings: Finding[],
  line: number,
  message: string,
  field: string,
  code: FindingCode = "invalid_shape",
): null {
  findings.push(finding(line, "error", code, message, field));
  return null;
}
