"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { TARGET_KIND_LABEL } from "@/lib/client/eval-labels";
import { formatMetricValue } from "@/lib/client/eval-metrics";
import { useEvalRuns, useEvalSuites } from "@/lib/client/hooks/evals";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { evalRunHref } from "@/lib/client/hrefs";
import { canEdit } from "@/lib/client/permissions";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { QueryView } from "@/components/ui/query-view";
import { NoSearchMatches, SearchBox, useSearchParam } from "@/components/ui/search-box";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { NewSuiteDialog } from "./new-suite-dialog";
import { RunEvalDialog } from "./run-eval-dialog";
import { EvalProgress, EvalStatusBadge } from "./run-status";

function SuitesCard({ writable, q }: { writable: boolean; q?: string }) {
  const suites = useEvalSuites(q);
  return (
    <Card aria-labelledby="suites-title">
      <CardHeader
        title={<span id="suites-title">Suites</span>}
        description="Held-out dataset versions and the scorers that grade a target on them."
        actions={writable ? <NewSuiteDialog /> : undefined}
      />
      <QueryView
        query={suites}
        loading="Loading suites…"
        rows={3}
        errorTitle="Could not load suites"
        isEmpty={(list) => list.length === 0}
        empty={
          q ? (
            <NoSearchMatches noun="suites" q={q} lookedAt="suite names" />
          ) : (
            <EmptyState
              title="No eval suites yet"
              description={
                <p>
                  A suite scores a target on a held-out dataset version — tool calls the way the
                  Berkeley Function Calling Leaderboard does, JSON validity, exact match, latency
                  and cost — and gates candidates against production.
                  {writable ? " Create one with “New suite”." : ""}
                </p>
              }
            />
          )
        }
      >
        {(list) => (
          <Table caption="Eval suites">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Dataset</Th>
                <Th>Split</Th>
                <Th>Cases</Th>
                <Th>Scorers</Th>
                <Th>Created</Th>
              </Tr>
            </THead>
            <TBody>
              {list.map((s) => (
                <Tr key={s.id}>
                  <Td>
                    <Link
                      href={`/evals?suiteId=${encodeURIComponent(s.id)}`}
                      className="strong-link"
                    >
                      {s.name}
                    </Link>
                  </Td>
                  <Td>
                    {s.datasetName} <span className="mono muted">v{s.datasetVersion}</span>
                  </Td>
                  <Td>{s.split === "eval" ? "eval split" : "all rows"}</Td>
                  <Td>{s.turns === "all" ? "every turn" : "first turn"}</Td>
                  <Td>
                    <span className="badge-list">
                      {s.scorers.map((x) => (
                        <Badge key={x}>{x}</Badge>
                      ))}
                      <Badge tone="info" title="scoring profile">
                        {s.scoringProfile === "bfcl" ? "BFCL parity" : "retune scoring"}
                      </Badge>
                    </span>
                  </Td>
                  <Td className="nowrap">
                    <TimeStamp iso={s.createdAt} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}

function RunsCard({ suiteId, writable, q }: { suiteId?: string; writable: boolean; q?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const suites = useEvalSuites();
  const runs = useEvalRuns({ suiteId, q });
  return (
    <Card aria-labelledby="runs-title">
      <CardHeader
        title={<span id="runs-title">Runs</span>}
        description="Newest first; queued and running runs update live."
        actions={writable ? <RunEvalDialog defaultSuiteId={suiteId} /> : undefined}
      />
      <div className="card-toolbar">
        <Field label="Suite">
          <Select
            value={suiteId ?? ""}
            onChange={(e) => {
              const v = e.currentTarget.value;
              // The search stays as it is.
              const p = new URLSearchParams();
              if (v) p.set("suiteId", v);
              if (q) p.set("q", q);
              const qs = p.toString();
              router.replace(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false });
            }}
            options={[
              { value: "", label: "All suites" },
              ...(suites.data ?? []).map((s) => ({ value: s.id, label: s.name })),
              ...(suiteId && suites.data && !suites.data.some((s) => s.id === suiteId)
                ? [{ value: suiteId, label: suiteId }]
                : []),
            ]}
          />
        </Field>
      </div>
      <QueryView
        query={runs}
        loading="Loading runs…"
        rows={4}
        errorTitle="Could not load runs"
        isEmpty={(list) => list.length === 0}
        empty={
          q ? (
            <NoSearchMatches noun="runs" q={q} lookedAt="run targets and suite names" />
          ) : (
            <EmptyState
              title={suiteId ? "No runs of this suite yet" : "No eval runs yet"}
              description="Runs start on their own when a version is registered for a Model with a suite, or by hand with “Run eval”."
            />
          )
        }
      >
        {(list) => (
          <Table caption="Eval runs">
            <THead>
              <Tr>
                <Th>Run</Th>
                <Th>Suite</Th>
                <Th>Target</Th>
                <Th>Status</Th>
                <Th>Progress</Th>
                <Th align="right">Tool-call accuracy</Th>
                <Th>Created</Th>
              </Tr>
            </THead>
            <TBody>
              {list.map((r) => (
                <Tr key={r.id}>
                  <Td>
                    <Link href={evalRunHref(r.id)} className="strong-link mono">
                      {r.id.slice(0, 10)}
                    </Link>
                    {r.reusedFrom && <span className="cell-sub">reused results</span>}
                  </Td>
                  <Td>{r.suiteName}</Td>
                  <Td>
                    <span className="muted">{TARGET_KIND_LABEL[r.target.kind]}</span>{" "}
                    <span className="mono">{r.target.label}</span>
                  </Td>
                  <Td>
                    <EvalStatusBadge status={r.status} />
                  </Td>
                  <Td className="job-progress-cell">
                    <EvalProgress
                      status={r.status}
                      progress={r.progress}
                      caseCount={r.caseCount}
                      casesDone={r.casesDone}
                      label={`Progress of run ${r.id.slice(0, 10)}`}
                    />
                  </Td>
                  <Td align="right" className="mono">
                    {formatMetricValue("tool_call_accuracy", r.metrics.tool_call_accuracy)}
                  </Td>
                  <Td className="nowrap">
                    <TimeStamp iso={r.createdAt} />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}

/**
 * Eval suites and their runs, filtered by suite through the URL (?suiteId=). One search (?q=, by
 * the server) narrows both: suites by name, runs by target (Model and version, base model,
 * endpoint) or suite name.
 */
export function EvalsHome({ suiteId }: { suiteId?: string }) {
  const active = useActiveTeam();
  const writable = canEdit(active?.team.role);
  const [q, setQ] = useSearchParam();
  return (
    <div className="stack-lg">
      <SearchBox
        label="Search suites and runs"
        placeholder="Suite name, or a run's target"
        value={q}
        onSearch={setQ}
      />
      <SuitesCard writable={writable} q={q} />
      <RunsCard suiteId={suiteId} writable={writable} q={q} />
    </div>
  );
}
