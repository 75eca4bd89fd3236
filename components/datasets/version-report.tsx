"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import type {
  DatasetStats,
  DatasetVersion,
  Finding,
  FindingCode,
  Report,
} from "@/lib/schemas/datasets";
import { formatCount, formatDecimal, formatShare } from "@/lib/client/format-units";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TokenHistogramChart, ToolCallsChart } from "./dataset-charts";
import { FINDING_LABEL, FORMAT_LABEL, provenanceLabel } from "./labels";

const FINDINGS_PAGE = 100;
/** The dataset report's token definition (lib/domain/datasets/token-count.ts), said in the UI. */
const CONTENT_TOKENS_HINT =
  "Content tokens: each message's role and text, its tool calls, and each declared tool's JSON definition, counted with the tokenizer named here, without any chat template. A training run tokenizes the example rendered through its base model's chat template (the launch pre-flight's rendered tokens), which adds the template's markers and may show tools differently, so that count differs.";

function StatCard({
  name,
  value,
  sub,
  badge,
  hint,
}: {
  name: string;
  value: string;
  sub?: string;
  badge?: ReactNode;
  /** What the number is, by definition (a tooltip). */
  hint?: string;
}) {
  return (
    <Card aria-label={name} className="stat-card" title={hint}>
      <p className="stat-name">{name}</p>
      <p className="stat-value">
        <span className="stat-number">{value}</span>
        {badge}
      </p>
      {sub && <p className="stat-note">{sub}</p>}
    </Card>
  );
}

/** Whether counts came from the base model's own tokenizer, always said next to the number. */
export function TokenCountBadge({ tokens }: { tokens: DatasetStats["tokens"] }) {
  return tokens.exact ? (
    <Badge tone="success" title={`Counted with the base model's tokenizer (${tokens.tokenizer})`}>
      exact ({tokens.tokenizer})
    </Badge>
  ) : (
    <Badge
      tone="warning"
      title={`No exact tokenizer for this base model: counts are approximations (${tokens.tokenizer})`}
    >
      estimate
    </Badge>
  );
}

function StatsGrid({ stats }: { stats: DatasetStats }) {
  const t = stats.tokens;
  return (
    <div className="stat-grid" aria-label="Statistics" role="group">
      <StatCard
        name="Rows"
        value={formatCount(stats.rows)}
        sub={
          stats.blankLines > 0
            ? `${formatCount(stats.blankLines)} blank lines skipped`
            : stats.sourceFormat
              ? `${FORMAT_LABEL[stats.sourceFormat]} format`
              : undefined
        }
      />
      <StatCard
        name="Valid rows"
        value={formatCount(stats.validRows)}
        sub={stats.rows > 0 ? `${formatShare(stats.validRows / stats.rows)} of rows` : undefined}
      />
      <StatCard
        name="Tokens"
        value={formatCount(t.total)}
        badge={<TokenCountBadge tokens={t} />}
        sub={`content tokens · ${t.exact ? `tokenizer ${t.tokenizer}` : `approximate (${t.tokenizer})`}`}
        hint={CONTENT_TOKENS_HINT}
      />
      <StatCard
        name="Tokens per example"
        value={formatDecimal(t.mean)}
        badge={!t.exact && <Badge tone="warning">estimate</Badge>}
        sub={`content tokens, mean · p50 ${formatCount(t.p50)} · p95 ${formatCount(t.p95)} · max ${formatCount(t.max)}`}
        hint={CONTENT_TOKENS_HINT}
      />
      <StatCard
        name="Assistant-token share"
        value={formatShare(stats.assistantTokenShare)}
        sub="of tokens are assistant turns (trained on)"
      />
      <StatCard
        name="Tool-call share"
        value={formatShare(stats.toolCallShare)}
        sub="of valid examples call a tool"
      />
      <StatCard
        name="Turns"
        value={formatDecimal(stats.turns.mean)}
        sub={`mean per example · max ${formatCount(stats.turns.max)}`}
      />
      <StatCard
        name="Split"
        value={`${formatCount(stats.split.train)} / ${formatCount(stats.split.eval)}`}
        sub={`train / eval · eval fraction ${formatShare(stats.split.evalFraction)}`}
        hint="Valid rows on each side of the dataset's split (by each example's content hash): the rows a training job trains and evaluates on, and the training pre-flight's scanned counts."
      />
    </div>
  );
}

function ProvenanceCard({ provenance }: { provenance: Record<string, number> }) {
  const entries = Object.entries(provenance).sort((a, b) => b[1] - a[1]);
  const synthetic = provenance.synthetic ?? 0;
  return (
    <Card>
      <CardHeader
        title="Provenance"
        description="Where the valid examples come from: each row's metadata.source, else the upload's declared provenance."
      />
      {entries.length === 0 ? (
        <EmptyState
          title="No provenance recorded"
          description="No valid rows, so nothing to attribute."
        />
      ) : (
        <CardBody>
          {synthetic > 0.5 && (
            <Notice tone="warning">
              <strong>{formatShare(synthetic)} of valid examples are synthetic.</strong> Production
              traces of the component&apos;s real inputs make better training data: synthetic data
              teaches the generator&apos;s habits, not your users&apos; traffic.
            </Notice>
          )}
          <ul className="share-list" aria-label="Provenance shares">
            {entries.map(([key, share]) => (
              <li key={key} className="share-row">
                <span className="share-name">{provenanceLabel(key)}</span>
                <meter
                  className="share-meter"
                  min={0}
                  max={1}
                  value={share}
                  aria-label={`${provenanceLabel(key)} share`}
                />
                <span className="share-value mono">{formatShare(share)}</span>
              </li>
            ))}
          </ul>
        </CardBody>
      )}
    </Card>
  );
}

function severitiesOf(findings: Finding[]): Map<FindingCode, Set<Finding["severity"]>> {
  const out = new Map<FindingCode, Set<Finding["severity"]>>();
  for (const f of findings) {
    let s = out.get(f.code);
    if (!s) out.set(f.code, (s = new Set()));
    s.add(f.severity);
  }
  return out;
}

function SeverityBadge({ severity }: { severity: Finding["severity"] }) {
  return <Badge tone={severity === "error" ? "danger" : "warning"}>{severity}</Badge>;
}

function FindingsCard({
  report,
  lineHref,
}: {
  report: Report;
  lineHref: (line: number) => string;
}) {
  const [code, setCode] = useState<string>("");
  const [limit, setLimit] = useState(FINDINGS_PAGE);
  const counts = (Object.entries(report.countsByCode) as [FindingCode, number][]).sort(
    (a, b) => b[1] - a[1],
  );
  const severities = severitiesOf(report.findings);
  const datasetLevel = report.findings.filter((f) => f.line === null);
  const lineFindings = report.findings
    .filter((f): f is Finding & { line: number } => f.line !== null)
    .filter((f) => !code || f.code === code)
    .sort((a, b) => a.line - b.line);
  const shown = lineFindings.slice(0, limit);

  return (
    <Card>
      <CardHeader
        title="Findings"
        description={
          report.errorLines + report.warningLines === 0 && datasetLevel.length === 0
            ? "No problems found: every row passed validation."
            : `${formatCount(report.errorLines)} lines with errors (excluded from training) · ${formatCount(report.warningLines)} lines with warnings (kept). Up to ${formatCount(report.keptPerCode)} findings are listed per code; all are counted.`
        }
      />
      {counts.length === 0 ? (
        <EmptyState
          title="No findings"
          description="Every row is valid JSON in a known format, with well-formed conversations and tool calls."
        />
      ) : (
        <CardBody>
          {datasetLevel.map((f, i) => (
            <Notice key={i} tone="warning">
              <SeverityBadge severity={f.severity} /> <span className="mono">{f.code}</span>{" "}
              {f.message}
            </Notice>
          ))}
          <Table caption="Findings by code">
            <THead>
              <Tr>
                <Th>Code</Th>
                <Th>Meaning</Th>
                <Th>Severity</Th>
                <Th align="right">Count</Th>
              </Tr>
            </THead>
            <TBody>
              {counts.map(([c, n]) => (
                <Tr key={c}>
                  <Td className="mono">{c}</Td>
                  <Td>{FINDING_LABEL[c] ?? c}</Td>
                  <Td>
                    <span className="badge-list">
                      {[...(severities.get(c) ?? [])].map((s) => (
                        <SeverityBadge key={s} severity={s} />
                      ))}
                    </span>
                  </Td>
                  <Td align="right">{formatCount(n)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </CardBody>
      )}
      {lineFindings.length > 0 || code ? (
        <div className="findings-list">
          <div className="findings-toolbar">
            <Field label="Show">
              <Select
                value={code}
                onChange={(e) => {
                  setCode(e.target.value);
                  setLimit(FINDINGS_PAGE);
                }}
                options={[
                  { value: "", label: "All codes" },
                  ...counts.map(([c, n]) => ({ value: c, label: `${c} (${n})` })),
                ]}
              />
            </Field>
            <span className="muted small">
              {formatCount(lineFindings.length)} listed finding
              {lineFindings.length === 1 ? "" : "s"}
            </span>
          </div>
          <Table caption="Findings by line">
            <THead>
              <Tr>
                <Th align="right">Line</Th>
                <Th>Severity</Th>
                <Th>Code</Th>
                <Th>Field</Th>
                <Th>Message</Th>
                <Th>
                  <span className="sr-only">Preview</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {shown.map((f, i) => (
                <Tr key={`${f.line}-${f.code}-${i}`}>
                  <Td align="right" className="mono">
                    {f.line}
                  </Td>
                  <Td>
                    <SeverityBadge severity={f.severity} />
                  </Td>
                  <Td className="mono">{f.code}</Td>
                  <Td className="mono small">{f.field ?? "—"}</Td>
                  <Td className="finding-message">{f.message}</Td>
                  <Td className="nowrap">
                    <Link href={lineHref(f.line)} aria-label={`View line ${f.line}`}>
                      View line
                    </Link>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          {lineFindings.length > shown.length && (
            <div className="findings-more">
              <Button size="sm" onClick={() => setLimit((n) => n + FINDINGS_PAGE)}>
                Show {Math.min(FINDINGS_PAGE, lineFindings.length - shown.length)} more
              </Button>
            </div>
          )}
        </div>
      ) : null}
    </Card>
  );
}

/** Statistics, charts, provenance and findings of a finished version. */
export function VersionReport({
  version,
  lineHref,
}: {
  version: DatasetVersion;
  lineHref: (line: number) => string;
}) {
  const { stats, report } = version;
  return (
    <div className="stack-lg">
      {stats ? (
        <>
          <StatsGrid stats={stats} />
          <div className="chart-grid">
            <Card>
              <CardHeader
                title="Token lengths"
                description={
                  <>
                    Examples per length bucket. <TokenCountBadge tokens={stats.tokens} />
                  </>
                }
              />
              {stats.lengthHistogram.every((b) => b.count === 0) ? (
                <EmptyState title="No valid examples" description="Nothing to measure." />
              ) : (
                <CardBody>
                  <TokenHistogramChart
                    histogram={stats.lengthHistogram}
                    exact={stats.tokens.exact}
                  />
                </CardBody>
              )}
            </Card>
            <Card>
              <CardHeader title="Tool calls" description="Calls per tool in valid examples." />
              {Object.keys(stats.toolCounts).length === 0 ? (
                <EmptyState
                  title="No tool calls"
                  description="No valid example calls a tool: this is plain chat or completion data."
                />
              ) : (
                <CardBody>
                  <ToolCallsChart toolCounts={stats.toolCounts} />
                </CardBody>
              )}
            </Card>
          </div>
          <ProvenanceCard provenance={stats.provenance} />
        </>
      ) : (
        <EmptyState
          title="No statistics"
          description="Validation stopped before rows could be counted; the findings below say why."
        />
      )}
      {report ? (
        <FindingsCard report={report} lineHref={lineHref} />
      ) : (
        <EmptyState title="No validation report" description="This version has no report." />
      )}
    </div>
  );
}
