/**
 * What commands print. stdout carries the result only — text for a person, or with `--json` one
 * JSON document (NDJSON events for `jobs watch`) — so `retune … --json | jq` always parses;
 * progress, status and hints go to stderr. The formatters are pure and tested.
 */
import type { DatasetVersion, Finding } from "@/lib/schemas/datasets";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMetric,
  formatShare,
} from "@/lib/client/format-units";

export { formatBytes, formatCount, formatDuration, formatMetric, formatShare };

export type Stream = { write(chunk: string): unknown; isTTY?: boolean };

export class Output {
  constructor(
    readonly json: boolean,
    readonly stdout: Stream = process.stdout,
    readonly stderr: Stream = process.stderr,
  ) {}

  /** The command's result: `data` as JSON with --json, else the text (a trailing newline added). */
  result(data: unknown, text: string | (() => string)): void {
    if (this.json) this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else this.line(typeof text === "function" ? text() : text);
  }

  /** One NDJSON event on stdout (--json streams: jobs watch, jobs create --wait). */
  event(data: unknown): void {
    this.stdout.write(`${JSON.stringify(data)}\n`);
  }

  /** Result text on stdout, never in --json mode (use result or event there). */
  line(text: string): void {
    if (this.json) return;
    this.stdout.write(text.endsWith("\n") || text === "" ? text : `${text}\n`);
  }

  /** Status and hints for a person, on stderr in both modes. */
  info(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`warning: ${text}\n`);
  }
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [
    headers,
    ...rows.map((r) => r.map((c) => (c === null || c === undefined ? "—" : String(c)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `label  value` lines, labels padded; null values are left out. */
export function keyValues(pairs: [string, string | number | null | undefined][]): string {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== "");
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

/** Findings in file order (dataset-wide ones last), each as `line N  severity  code  message`. */
export function formatFindings(findings: Finding[]): string {
  const sorted = [...findings].sort(
    (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
  );
  return table(
    ["line", "severity", "code", "message"],
    sorted.map((f) => [
      f.line === null ? "—" : f.line,
      f.severity,
      f.code,
      f.field ? `${f.message} (${f.field})` : f.message,
    ]),
  );
}

/** A dataset version's status, statistics and validation report, as `datasets upload|show` print it. */
export function formatDatasetVersion(v: DatasetVersion): string {
  const out: string[] = [];
  out.push(`dataset version ${v.version} ${v.status}  (id ${v.id})`);
  const s = v.stats;
  out.push(
    keyValues([
      ["size", formatBytes(v.sizeBytes)],
      ["format", v.format],
      ["provenance", v.provenance],
      [
        "rows",
        s
          ? `${formatCount(s.rows)} (${formatCount(s.validRows)} valid${s.blankLines ? `, ${formatCount(s.blankLines)} blank lines` : ""})`
          : null,
      ],
      [
        "tokens",
        s
          ? `${formatCount(s.tokens.total)} (${s.tokens.exact ? s.tokens.tokenizer : `estimated, ${s.tokens.tokenizer}`}); per row mean ${formatCount(s.tokens.mean)}, p95 ${formatCount(s.tokens.p95)}, max ${formatCount(s.tokens.max)}`
          : null,
      ],
      ["tool calls", s ? `${formatShare(s.toolCallShare)} of rows` : null],
      [
        "split",
        s ? `${formatCount(s.split.train)} train / ${formatCount(s.split.eval)} eval` : null,
      ],
      ["error", v.error],
    ]),
  );
  const r = v.report;
  if (r) {
    const counts = Object.entries(r.countsByCode);
    if (counts.length === 0) out.push("no findings");
    else {
      out.push(
        `findings: ${formatCount(r.errorLines)} lines with errors, ${formatCount(r.warningLines)} with warnings`,
      );
      out.push(formatFindings(r.findings));
      const kept = new Map<string, number>();
      for (const f of r.findings) kept.set(f.code, (kept.get(f.code) ?? 0) + 1);
      for (const [code, n] of counts) {
        const shown = kept.get(code) ?? 0;
        if (n !== undefined && n > shown)
          out.push(`(${code}: ${formatCount(n)} found, the first ${formatCount(shown)} listed)`);
      }
    }
  }
  return out.join("\n");
}

/** `5e-3`-style numbers of a loss curve: 4 significant digits. */
export function formatLossLine(
  step: number,
  totalSteps: number | null,
  values: [string, number][],
) {
  const at = totalSteps ? `step ${step}/${totalSteps}` : `step ${step}`;
  return [at, ...values.map(([name, value]) => `${name} ${formatMetric(value)}`)].join("  ");
}
