"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Fragment, useState } from "react";
import type { Comparison } from "@/lib/schemas/models";
import { ApiClientError } from "@/lib/client/api";
import {
  formatMetricValue,
  metricDelta,
  metricLabel,
  sortCasesChangedFirst,
} from "@/lib/client/eval-metrics";
import { useComparison, useModel, useModelVersionDetail } from "@/lib/client/hooks/models";
import { modelHref, modelVersionHref } from "@/lib/client/hrefs";
import { prettyJson } from "@/lib/client/pretty-json";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { RoutingCurveCard } from "./routing-card";

type Case = Comparison["cases"][number];

const CHANGE_LABEL = { fixed: "Fixed", broken: "Broken", same: "Same" } as const;
const CHANGE_TONE = { fixed: "success", broken: "danger", same: "neutral" } as const;

function Outcome({ passed }: { passed: boolean }) {
  return passed ? <Badge tone="success">pass</Badge> : <Badge tone="danger">fail</Badge>;
}

function Reasons({ reasons }: { reasons: Record<string, string> }) {
  const entries = Object.entries(reasons);
  if (entries.length === 0) return <p className="muted small">No points lost.</p>;
  return (
    <ul className="reason-list">
      {entries.map(([metric, why]) => (
        <li key={metric}>
          <span className="mono">{metric}</span>: {why}
        </li>
      ))}
    </ul>
  );
}

function CaseDetail({ c, otherLabel }: { c: Case; otherLabel: string }) {
  return (
    <div className="case-detail">
      <div className="stack">
        <p className="field-label">Prompt</p>
        <pre className="code-block case-text">{c.prompt}</pre>
      </div>
      <div className="case-columns">
        <div className="stack">
          <p className="field-label">Expected</p>
          <pre className="code-block case-text">{prettyJson(c.expected)}</pre>
        </div>
        <div className="stack">
          <p className="field-label">
            This version <Outcome passed={c.candidatePassed} />
          </p>
          <pre className="code-block case-text">{prettyJson(c.candidateOutput)}</pre>
          <Reasons reasons={c.candidateReasons} />
        </div>
        <div className="stack">
          <p className="field-label">
            {otherLabel} <Outcome passed={c.otherPassed} />
          </p>
          <pre className="code-block case-text">{prettyJson(c.otherOutput)}</pre>
          <Reasons reasons={c.otherReasons} />
        </div>
      </div>
    </div>
  );
}

function CasesTable({ cases, otherLabel }: { cases: Case[]; otherLabel: string }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (i: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  return (
    <Table caption="Cases, changed first">
      <THead>
        <Tr>
          <Th align="right">Case</Th>
          <Th>Change</Th>
          <Th>This version</Th>
          <Th>{otherLabel}</Th>
          <Th>Prompt</Th>
          <Th>
            <span className="sr-only">Details</span>
          </Th>
        </Tr>
      </THead>
      <TBody>
        {cases.map((c) => {
          const expanded = open.has(c.index);
          return (
            <Fragment key={c.index}>
              <Tr className={c.change === "same" ? "row-muted" : undefined}>
                <Td align="right" className="mono">
                  #{c.index}
                </Td>
                <Td>
                  <Badge tone={CHANGE_TONE[c.change]}>{CHANGE_LABEL[c.change]}</Badge>
                </Td>
                <Td>
                  <Outcome passed={c.candidatePassed} />
                </Td>
                <Td>
                  <Outcome passed={c.otherPassed} />
                </Td>
                <Td className="truncate-wide" title={c.prompt}>
                  {c.prompt}
                </Td>
                <Td align="right">
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-expanded={expanded}
                    aria-label={`${expanded ? "Hide" : "Show"} case ${c.index}`}
                    onClick={() => toggle(c.index)}
                  >
                    {expanded ? "Hide" : "Show"}
                  </Button>
                </Td>
              </Tr>
              {expanded && (
                <Tr className="case-expanded">
                  <Td colSpan={6}>
                    <CaseDetail c={c} otherLabel={otherLabel} />
                  </Td>
                </Tr>
              )}
            </Fragment>
          );
        })}
      </TBody>
    </Table>
  );
}

function ComparisonBody({ comparison }: { comparison: Comparison }) {
  const [showSame, setShowSame] = useState(false);
  const { counts, otherLabel } = comparison;
  const sorted = sortCasesChangedFirst(comparison.cases);
  const shown = showSame ? sorted : sorted.filter((c) => c.change !== "same");
  if (!comparison.candidate)
    return (
      <EmptyState
        title="This version has not been evaluated"
        description="It needs a finished run on the Model's suite before it can be compared."
      />
    );
  if (!comparison.other)
    return (
      <EmptyState
        title={`No run of ${otherLabel} on this suite`}
        description="Evaluate it on the same suite, or pick something else to compare against."
      />
    );
  return (
    <div className="stack-lg">
      <Card aria-labelledby="compare-metrics-title">
        <CardHeader
          title={<span id="compare-metrics-title">Metrics</span>}
          description={`This version against ${otherLabel}; green is better, red is worse.`}
        />
        <Table caption="Metrics side by side">
          <THead>
            <Tr>
              <Th>Metric</Th>
              <Th align="right">This version</Th>
              <Th align="right">{otherLabel}</Th>
              <Th align="right">Change</Th>
            </Tr>
          </THead>
          <TBody>
            {comparison.metrics.map((m) => {
              const d = metricDelta(m.metric, m.candidate, m.other);
              return (
                <Tr key={m.metric}>
                  <Td>
                    {metricLabel(m.metric)} <span className="cell-sub mono">{m.metric}</span>
                  </Td>
                  <Td align="right" className="mono">
                    {formatMetricValue(m.metric, m.candidate)}
                  </Td>
                  <Td align="right" className="mono">
                    {formatMetricValue(m.metric, m.other)}
                  </Td>
                  <Td
                    align="right"
                    className={`mono delta-${d.direction}`}
                    data-direction={d.direction}
                  >
                    {d.text}
                    {d.direction === "better" || d.direction === "worse" ? (
                      <span className="sr-only"> ({d.direction})</span>
                    ) : null}
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      </Card>
      <div className="stat-grid" role="group" aria-label="Case changes">
        <Card aria-label="Fixed cases" className="stat-card">
          <p className="stat-name">Fixed</p>
          <p className="stat-value">
            <span className="stat-number delta-better">{counts.fixed}</span>
          </p>
          <p className="stat-note">fail before, pass now</p>
        </Card>
        <Card aria-label="Broken cases" className="stat-card">
          <p className="stat-name">Broken</p>
          <p className="stat-value">
            <span className="stat-number delta-worse">{counts.broken}</span>
          </p>
          <p className="stat-note">pass before, fail now</p>
        </Card>
        <Card aria-label="Unchanged cases" className="stat-card">
          <p className="stat-name">Same</p>
          <p className="stat-value">
            <span className="stat-number">{counts.same}</span>
          </p>
          <p className="stat-note">same outcome</p>
        </Card>
      </div>
      <Card aria-labelledby="compare-cases-title">
        <CardHeader
          title={<span id="compare-cases-title">Cases</span>}
          description="Regressions first, then fixes. Open a case for expected and both outputs."
          actions={
            <Checkbox
              className="checkbox-plain"
              label="Show unchanged cases"
              checked={showSame}
              onChange={(e) => setShowSame(e.currentTarget.checked)}
            />
          }
        />
        {shown.length === 0 ? (
          <CardBody>
            <p className="muted">
              {comparison.cases.length === 0
                ? "No paired cases."
                : "No case changed outcome. Tick “Show unchanged cases” to see them all."}
            </p>
          </CardBody>
        ) : (
          <CasesTable cases={shown} otherLabel={otherLabel} />
        )}
      </Card>
    </div>
  );
}

/** The version against production, the base model, or another version of the same Model. */
export function CompareView({ id, against }: { id: string; against: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const version = useModelVersionDetail(id);
  const model = useModel(version.data?.modelId ?? "");
  const comparison = useComparison(id, against);

  const v = version.data;
  const options = [
    { value: "production", label: "Production" },
    { value: "base", label: "Base model" },
    ...(model.data?.versions ?? [])
      .filter((x) => x.id !== id)
      .sort((a, b) => b.version - a.version)
      .map((x) => ({ value: x.id, label: `v${x.version} (${x.stage.toLowerCase()})` })),
  ];
  if (!options.some((o) => o.value === against)) options.push({ value: against, label: against });

  return (
    <>
      <Breadcrumbs
        items={[
          { href: "/models", label: "Models" },
          ...(v ? [{ href: modelHref(v.modelId), label: v.modelName }] : []),
          { href: modelVersionHref(id), label: v ? `v${v.version}` : "Version" },
          { label: "Compare" },
        ]}
      />
      <PageHeader
        title={v ? `Compare ${v.modelName} v${v.version}` : "Compare"}
        description="Metrics side by side, and which cases were fixed or broken."
        actions={
          <Link href={modelVersionHref(id)} className="btn btn-sm">
            Back to version
          </Link>
        }
      />
      <div className="stack-lg">
        <div className="compare-toolbar">
          <Field label="Compare against">
            <Select
              options={options}
              value={against}
              onChange={(e) =>
                router.replace(`${pathname}?against=${encodeURIComponent(e.currentTarget.value)}`, {
                  scroll: false,
                })
              }
            />
          </Field>
        </div>
        <QueryView
          query={comparison}
          loading="Comparing…"
          rows={6}
          errorTitle={
            comparison.error instanceof ApiClientError && comparison.error.status === 404
              ? "Nothing to compare"
              : "Could not compare"
          }
        >
          {(c) => <ComparisonBody comparison={c} />}
        </QueryView>
        <RoutingCurveCard versionId={id} />
      </div>
    </>
  );
}
