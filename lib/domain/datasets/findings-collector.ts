import type { Finding, FindingCode, Report } from "@/lib/schemas/datasets";
import { LineSet } from "./line-set";

/**
 * Gathers the findings of a whole file into a bounded report. A broken export can produce an
 * error on every one of millions of lines: the report keeps the first `keepPerCode` of each code
 * (enough to see the pattern and fix it) and counts the rest, and remembers which lines have
 * errors in a bitset, so memory does not grow with the number of findings.
 */
export class FindingsCollector {
  private readonly kept: Finding[] = [];
  private readonly counts = new Map<FindingCode, number>();
  private readonly errors = new LineSet();
  private readonly warnings = new LineSet();

  constructor(readonly keepPerCode = 50) {}

  add(f: Finding): void {
    const n = (this.counts.get(f.code) ?? 0) + 1;
    this.counts.set(f.code, n);
    if (n <= this.keepPerCode) this.kept.push(f);
    if (f.line === null) return;
    if (f.severity === "error") this.errors.add(f.line);
    else this.warnings.add(f.line);
  }

  addAll(findings: readonly Finding[]): void {
    for (let i = 0; i < findings.length; i++) this.add(findings[i]!);
  }

  /** Lines with at least one error. */
  get errorLines(): number {
    return this.errors.size;
  }

  /** Lines with at least one warning (whether or not they also have errors). */
  get warningLines(): number {
    return this.warnings.size;
  }

  hasError(line: number): boolean {
    return this.errors.has(line);
  }

  /** Lines with errors, ascending: what paging and export use to skip or mark bad rows. */
  errorLineNumbers(): Uint32Array {
    return this.errors.toArray();
  }

  /** Dataset-wide findings (line null) first, then by line; within a line, in the order found. */
  report(): Report {
    const findings = this.kept.slice().sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const countsByCode: Report["countsByCode"] = {};
    for (const [code, n] of this.counts) countsByCode[code] = n;
    return {
      findings,
      countsByCode,
      errorLines: this.errors.size,
      warningLines: this.warnings.size,
      keptPerCode: this.keepPerCode,
    };
  }
}
