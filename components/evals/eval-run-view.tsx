"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import type { MetricName } from "@/lib/schemas/eval-metrics";
import type { EvalCase, EvalRun } from "@/lib/schemas/evals";
import { TARGET_KIND_LABEL } from "@/lib/client/eval-labels";
import { formatMetricValue, metricLabel, metricsPresent } from "@/lib/client/eval-metrics";
import { formatCount } from "@/lib/client/format-units";
import {
  isLiveEvalStatus,
  useCancelEvalRun,
  useEvalCases,
  useEvalRun,
} from "@/lib/client/hooks/evals";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { modelVersionHref } from "@/lib/client/hrefs";
import { canEdit } from "@/lib/client/permissions";
import { prettyJson } from "@/lib/client/pretty-json";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExampleView } from "@/components/ui/example-view";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { EvalProgress, EvalStatusBadge } from "./run-status";
import { RunSlicesCard } from "./run-slices";
import { PROFILE_DIFFERENCES, PROFILE_SUMMARY } from "@/lib/domain/scoring/profile";

const CRUMB = { href: "/evals", label: "Evals" };

function MetricCards({ run }: { run: EvalRun }) {
  const names = metricsPresent([run.metrics]);
  if (names.length === 0)
    return (
      <EmptyState
        title="No metrics yet"
        description={
          isLiveEvalStatus(run.status)
            ? "Metrics appear when the run finishes scoring."
            : "This run produced no metrics."
        }
      />
    );
  return (
    <div className="stat-grid" role="group" aria-label="Metrics">
      {names.map((m) => (
        <Card key={m} aria-label={metricLabel(m)} className="stat-card">
          <p className="stat-name">{metricLabel(m)}</p>
          <p className="stat-value">
            <span className="stat-number">
              {formatMetricValue(m, run.metrics[m as MetricName])}
            </span>
          </p>
          <p className="stat-note mono">{m}</p>
        </Card>
      ))}
    </div>
  );
}

function ToolCalls({ calls }: { calls: EvalCase["expected"]["toolCalls"] | null }) {
  if (calls === null) return <p className="text-danger small">Unparseable tool call</p>;
  if (calls.length === 0) return <p className="muted small">No tool call</p>;
  return <pre className="code-block case-text">{prettyJson(calls)}</pre>;
}

/** One acceptable value as people read it: "" is "(may be omitted)", the rest as JSON. */
function acceptableText(v: unknown): string {
  return v === "" ? "(may be omitted)" : JSON.stringify(v);
}

/**
 * The reference: its acceptable sets when the case has them (every value that passes, per
 * argument), else the concrete call; the relevance forms say what passes in words.
 */
function ExpectedView({ expected }: { expected: EvalCase["expected"] }) {
  if (expected.expect === "any_call")
    return <p className="small">Any well-formed tool call passes (relevance).</p>;
  if (expected.expect === "no_call")
    return <p className="small">Passes only when the model does not call a tool (irrelevance).</p>;
  if (!expected.acceptable)
    return (
      <>
        {expected.text && <pre className="code-block case-text">{expected.text}</pre>}
        <ToolCalls calls={expected.toolCalls} />
      </>
    );
  return (
    <div className="stack" aria-label="Acceptable answers">
      {expected.acceptable.map((call, i) => (
        <div key={i}>
          <p className="mono small">{call.name}</p>
          <ul className="reason-list">
            {Object.entries(call.arguments).map(([arg, values]) => (
              <li key={arg}>
                <span className="mono">{arg}</span>: one of{" "}
                {values.map((v, j) => (
                  <Fragment key={j}>
                    {j > 0 && ", "}
                    <code>{acceptableText(v)}</code>
                  </Fragment>
                ))}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function CaseDetail({ c }: { c: EvalCase }) {
  const reasons = Object.entries(c.scores.reasons);
  const scores = Object.entries(c.scores.scores);
  return (
    <div className="case-detail">
      <details className="tools-declared" open>
        <summary>Prompt ({c.input.messages.length} messages)</summary>
        <ExampleView value={{ messages: c.input.messages, tools: c.input.tools }} findings={[]} />
      </details>
      <div className="case-columns">
        <div className="stack">
          <p className="field-label">Expected</p>
          <ExpectedView expected={c.expected} />
        </div>
        <div className="stack">
          <p className="field-label">
            Output{" "}
            {c.output.latencyMs !== null && (
              <span className="muted mono">{Math.round(c.output.latencyMs)} ms</span>
            )}
          </p>
          {c.output.error && <p className="text-danger small">{c.output.error}</p>}
          {c.output.text && <pre className="code-block case-text">{c.output.text}</pre>}
          <ToolCalls calls={c.output.toolCalls} />
          {c.output.rawArguments && c.output.rawArguments.length > 0 && (
            <details>
              <summary className="small">Raw arguments</summary>
              <pre className="code-block case-text">{c.output.rawArguments.join("\n")}</pre>
            </details>
          )}
        </div>
        <div className="stack">
          <p className="field-label">Scores</p>
          <ul className="reason-list">
            {scores.map(([metric, score]) => (
              <li key={metric}>
                <span className="mono">{metric}</span>{" "}
                {score === 1 ? <Badge tone="success">1</Badge> : <Badge tone="danger">0</Badge>}
              </li>
            ))}
          </ul>
          {reasons.length > 0 && (
            <>
              <p className="field-label">Reasons</p>
              <ul className="reason-list">
                {reasons.map(([metric, why]) => (
                  <li key={metric}>
                    <span className="mono">{metric}</span>: {why}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

function CasesCard({ run }: { run: EvalRun }) {
  const [failedOnly, setFailedOnly] = useState(false);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const cases = useEvalCases(run.id, failedOnly);
  const toggle = (i: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  return (
    <Card aria-labelledby="cases-title">
      <CardHeader
        title={<span id="cases-title">Cases</span>}
        description={`${formatCount(run.casesDone)} of ${formatCount(run.caseCount)} scored. Open a case for the prompt, expected and actual output, and why it lost points.`}
        actions={
          <Checkbox
            className="checkbox-plain"
            label="Failed only"
            checked={failedOnly}
            onChange={(e) => setFailedOnly(e.currentTarget.checked)}
          />
        }
      />
      <QueryView
        query={cases}
        loading="Loading cases…"
        rows={5}
        errorTitle="Could not load cases"
        isEmpty={(data) => data.pages.every((p) => p.cases.length === 0)}
        empty={
          <EmptyState
            title={failedOnly ? "No failed cases" : "No cases scored yet"}
            description={
              failedOnly
                ? "Every scored case passed."
                : isLiveEvalStatus(run.status)
                  ? "Cases appear as they are scored."
                  : undefined
            }
          />
        }
      >
        {(data) => {
          const list = data.pages.flatMap((p) => p.cases);
          return (
            <>
              <Table caption={failedOnly ? "Failed cases" : "Cases"}>
                <THead>
                  <Tr>
                    <Th align="right">Case</Th>
                    <Th>Result</Th>
                    <Th>Expected tool</Th>
                    <Th>Why it lost points</Th>
                    <Th>
                      <span className="sr-only">Details</span>
                    </Th>
                  </Tr>
                </THead>
                <TBody>
                  {list.map((c) => {
                    const expanded = open.has(c.index);
                    const reasons = Object.values(c.scores.reasons);
                    return (
                      <Fragment key={c.index}>
                        <Tr>
                          <Td align="right" className="mono">
                            #{c.index}
                          </Td>
                          <Td>
                            {c.passed ? (
                              <Badge tone="success">pass</Badge>
                            ) : (
                              <Badge tone="danger">fail</Badge>
                            )}
                          </Td>
                          <Td>
                            <span className="mono">{c.scores.slice.tool}</span>
                            {c.scores.slice.turn != null && (
                              <Badge className="badge-gap">turn {c.scores.slice.turn}</Badge>
                            )}
                            {c.scores.slice.category != null && (
                              <Badge className="badge-gap">{c.scores.slice.category}</Badge>
                            )}
                          </Td>
                          <Td className="truncate-wide" title={reasons.join("; ")}>
                            {reasons.length > 0 ? (
                              reasons.join("; ")
                            ) : (
                              <span className="muted">—</span>
                            )}
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
                            <Td colSpan={5}>
                              <CaseDetail c={c} />
                            </Td>
                          </Tr>
                        )}
                      </Fragment>
                    );
                  })}
                </TBody>
              </Table>
              <div className="pager">
                <span className="muted">{formatCount(list.length)} shown</span>
                {cases.hasNextPage && (
                  <Button
                    size="sm"
                    loading={cases.isFetchingNextPage}
                    onClick={() => void cases.fetchNextPage()}
                  >
                    Load more
                  </Button>
                )}
              </div>
            </>
          );
        }}
      </QueryView>
    </Card>
  );
}

/** One eval run: status and live progress, metrics, and its scored cases. */
export function EvalRunView({ id }: { id: string }) {
  const run = useEvalRun(id);
  return (
    <QueryView
      query={run}
      loading="Loading eval run…"
      rows={6}
      errorTitle="Could not load this eval run"
      notFound={{ title: "Eval run not found", message: "It does not exist in this team." }}
      errorLead={<Breadcrumbs items={[CRUMB, { label: "Not found" }]} />}
    >
      {(r) => <RunView run={r} />}
    </QueryView>
  );
}

function RunView({ run: r }: { run: EvalRun }) {
  const active = useActiveTeam();
  const cancel = useCancelEvalRun(r.id);
  const live = isLiveEvalStatus(r.status);
  return (
    <>
      <Breadcrumbs
        items={[
          CRUMB,
          { href: `/evals?suiteId=${encodeURIComponent(r.suiteId)}`, label: r.suiteName },
          { label: `Run ${r.id.slice(0, 10)}` },
        ]}
      />
      <PageHeader
        title={`Eval run: ${r.target.label}`}
        description={
          <span className="inline-gap">
            <EvalStatusBadge status={r.status} />
            <span className="muted">
              {r.suiteName} · {TARGET_KIND_LABEL[r.target.kind]} ·{" "}
              {r.scoringProfile === "bfcl" ? "BFCL-parity scoring" : "retune scoring"}
              {r.turns === "all" ? " · every turn" : ""} · created <TimeStamp iso={r.createdAt} />
            </span>
          </span>
        }
        actions={
          live && canEdit(active?.team.role) ? (
            <ConfirmDialog
              trigger={<Button variant="danger">Cancel run</Button>}
              title="Cancel this eval run?"
              description="Cases scored so far are kept; the run will not produce metrics or a gate decision."
              confirmLabel="Cancel run"
              onConfirm={() => cancel.mutateAsync()}
            />
          ) : undefined
        }
      />
      <div className="stack-lg">
        <Card>
          <CardBody>
            <div className="stack">
              <EvalProgress
                status={r.status}
                progress={r.progress}
                caseCount={r.caseCount}
                casesDone={r.casesDone}
                size="lg"
              />
              <dl className="fact-row">
                <div>
                  <dt>Target</dt>
                  <dd>
                    {r.target.modelVersionId ? (
                      <Link href={modelVersionHref(r.target.modelVersionId)}>{r.target.label}</Link>
                    ) : r.target.endpoint ? (
                      <span className="mono">
                        {r.target.endpoint.model} @ {r.target.endpoint.url}
                      </span>
                    ) : (
                      <span className="mono">{r.target.baseModel ?? r.target.label}</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Started</dt>
                  <dd>{r.startedAt ? <TimeStamp iso={r.startedAt} /> : "—"}</dd>
                </div>
                <div>
                  <dt>Finished</dt>
                  <dd>{r.finishedAt ? <TimeStamp iso={r.finishedAt} /> : "—"}</dd>
                </div>
                {r.reusedFrom && (
                  <div>
                    <dt>Reused from</dt>
                    <dd>
                      <Link
                        href={`/evals/runs/${encodeURIComponent(r.reusedFrom)}`}
                        className="mono"
                      >
                        {r.reusedFrom.slice(0, 10)}
                      </Link>
                    </dd>
                  </div>
                )}
              </dl>
              <details className="small">
                <summary>How tool calls were judged: {PROFILE_SUMMARY[r.scoringProfile]}</summary>
                <ul className="reason-list">
                  {PROFILE_DIFFERENCES[r.scoringProfile].map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              </details>
              {r.error && <ErrorState title="The run failed" error={r.error} />}
            </div>
          </CardBody>
        </Card>
        <section aria-label="Metrics">
          <MetricCards run={r} />
        </section>
        {r.status === "SUCCEEDED" && <RunSlicesCard slices={r.slices} />}
        <CasesCard run={r} />
      </div>
    </>
  );
}
