"use client";

import type { VersionGate } from "@/lib/schemas/models";
import { formatCondition, formatMetricValue, metricLabel } from "@/lib/client/eval-metrics";
import { GATE_LABEL, GATE_TONE } from "@/lib/client/registry-labels";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";

function PassBadge({ passed, skipped }: { passed: boolean; skipped?: boolean }) {
  if (skipped) return <Badge>Skipped</Badge>;
  return passed ? <Badge tone="success">Pass</Badge> : <Badge tone="danger">Fail</Badge>;
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const num = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined ? "—" : Number(v.toFixed(digits)).toString();

/** The gate's decision and its evidence: conditions, failures, slices and intervals. */
export function GatePanel({ gate }: { gate: VersionGate }) {
  const ev = gate.evidence;
  const undecided = gate.status === "PENDING" || gate.status === "NOT_EVALUATED";
  const leakage = ev?.leakage ?? null;
  return (
    <Card aria-labelledby="gate-title">
      <CardHeader
        title={<span id="gate-title">Gate</span>}
        description={
          <span className="inline-gap">
            <Badge tone={GATE_TONE[gate.status]} data-testid="gate-status">
              {GATE_LABEL[gate.status]}
            </Badge>
            {gate.decidedAt && (
              <span className="muted">
                decided <TimeStamp iso={gate.decidedAt} />
              </span>
            )}
            {ev && (
              <span className="muted">
                {ev.caseCount} cases (minimum {ev.minCases})
              </span>
            )}
          </span>
        }
      />
      {undecided && gate.conditions.length === 0 ? (
        <EmptyState
          title={gate.status === "NOT_EVALUATED" ? "Not evaluated" : "Not decided yet"}
          description={
            gate.failures.length > 0
              ? `${gate.failures.map(sentence).join(". ")}.`
              : "The gate is decided when this version's evaluation on the Model's suite finishes."
          }
        />
      ) : (
        <>
          {gate.failures.length > 0 && (
            <CardBody>
              <div className="gate-failures" role="group" aria-label="Gate failures">
                <p className="strong">{undecided ? "Why it has not passed" : "Why it failed"}</p>
                <ul>
                  {gate.failures.map((f, i) => (
                    <li key={i}>{f}</li>
                  ))}
                </ul>
              </div>
            </CardBody>
          )}
          {gate.conditions.length > 0 && (
            <Table caption="Gate conditions">
              <THead>
                <Tr>
                  <Th>Metric</Th>
                  <Th>Condition</Th>
                  <Th align="right">Effective threshold</Th>
                  <Th align="right">Value</Th>
                  <Th align="right">Production</Th>
                  <Th>Result</Th>
                </Tr>
              </THead>
              <TBody>
                {gate.conditions.map((c, i) => (
                  <Tr key={i}>
                    <Td>
                      {metricLabel(c.metric)} <span className="cell-sub mono">{c.metric}</span>
                    </Td>
                    <Td className="mono nowrap">{formatCondition(c)}</Td>
                    <Td align="right" className="mono">
                      {num(c.effectiveThreshold)}
                    </Td>
                    <Td align="right" className="mono">
                      {formatMetricValue(c.metric, c.value)}
                    </Td>
                    <Td align="right" className="mono">
                      {formatMetricValue(c.metric, c.baseline)}
                    </Td>
                    <Td>
                      {undecided ? <Badge>Not measured</Badge> : <PassBadge passed={c.passed} />}
                      {c.note && <span className="cell-sub">{c.note}</span>}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
          {ev && ev.slices.length > 0 && (
            <Table caption="Slices" showCaption>
              <THead>
                <Tr>
                  <Th>Slice</Th>
                  <Th>Metric</Th>
                  <Th align="right">Cases</Th>
                  <Th align="right">Candidate</Th>
                  <Th align="right">Production</Th>
                  <Th align="right">Regression (max)</Th>
                  <Th>Result</Th>
                </Tr>
              </THead>
              <TBody>
                {ev.slices.map((s, i) => (
                  <Tr key={i} className={s.skipped ? "row-muted" : undefined}>
                    <Td>
                      <span className="muted">{s.by}</span> <span className="mono">{s.key}</span>
                    </Td>
                    <Td>{metricLabel(s.metric)}</Td>
                    <Td align="right">{s.cases}</Td>
                    <Td align="right" className="mono">
                      {formatMetricValue(s.metric, s.candidate)}
                    </Td>
                    <Td align="right" className="mono">
                      {formatMetricValue(s.metric, s.production)}
                    </Td>
                    <Td align="right" className="mono">
                      {num(s.regression)} ({s.maxRegression})
                    </Td>
                    <Td>
                      <PassBadge passed={s.passed} skipped={s.skipped} />
                      {s.note && <span className="cell-sub">{s.note}</span>}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
          {ev && ev.intervals.length > 0 && (
            <Table caption="Confidence intervals (candidate − production)" showCaption>
              <THead>
                <Tr>
                  <Th>Metric</Th>
                  <Th align="right">Confidence</Th>
                  <Th align="right">Mean</Th>
                  <Th align="right">Interval</Th>
                  <Th align="right">Lower bound must exceed</Th>
                  <Th align="right">Paired cases</Th>
                  <Th>Result</Th>
                </Tr>
              </THead>
              <TBody>
                {ev.intervals.map((iv, i) => (
                  <Tr key={i}>
                    <Td>{metricLabel(iv.metric)}</Td>
                    <Td align="right">{Math.round(iv.confidence * 100)}%</Td>
                    <Td align="right" className="mono">
                      {num(iv.mean)}
                    </Td>
                    <Td align="right" className="mono nowrap">
                      [{num(iv.lower)}, {num(iv.upper)}]
                    </Td>
                    <Td align="right" className="mono">
                      {iv.minLowerBound}
                    </Td>
                    <Td align="right">{iv.cases}</Td>
                    <Td>
                      <PassBadge passed={iv.passed} />
                      {iv.note && <span className="cell-sub">{iv.note}</span>}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
          {leakage && (
            <CardBody>
              <p className="inline-gap" data-testid="gate-leakage">
                <span className="strong">Suite vs training data</span>
                {leakage.overlapping === null ? (
                  <>
                    <Badge>Not checked</Badge>
                    <span className="muted">{leakage.note}</span>
                  </>
                ) : (
                  <>
                    <PassBadge passed={leakage.overlapping === 0} />
                    <span className="muted">
                      {leakage.overlapping} of {leakage.suiteCases} suite cases are in the
                      candidate&apos;s training data
                    </span>
                  </>
                )}
              </p>
            </CardBody>
          )}
        </>
      )}
    </Card>
  );
}
