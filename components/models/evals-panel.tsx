"use client";

import Link from "next/link";
import type { ModelVersionDetail, VersionEval } from "@/lib/schemas/models";
import { TARGET_KIND_LABEL } from "@/lib/client/eval-labels";
import { evalRunHref } from "@/lib/client/hrefs";
import { classifyEvals } from "@/lib/client/version-evals";
import { EvalProgress, EvalStatusBadge } from "@/components/evals/run-status";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { MetricCompareChart, type MetricSeries } from "./metric-compare-chart";

/**
 * The version's evaluations on the Model's suite next to production's and the base model's:
 * a grouped bar chart of accuracies, a table of latency and cost, and each run's status.
 */
export function EvalsPanel({ version }: { version: ModelVersionDetail }) {
  const { candidate, production, base, others } = classifyEvals(
    version.evals,
    version.id,
    version.gate.productionVersionId,
  );
  const roles: { role: string; run: VersionEval }[] = [];
  if (candidate) roles.push({ role: `v${version.version} (this version)`, run: candidate });
  if (production) roles.push({ role: "Production", run: production });
  if (base) roles.push({ role: "Base model", run: base });
  for (const o of others) roles.push({ role: TARGET_KIND_LABEL[o.target.kind], run: o });

  const series: MetricSeries[] = [];
  if (candidate?.status === "SUCCEEDED")
    series.push({ key: "candidate", name: `v${version.version}`, metrics: candidate.metrics });
  if (production?.status === "SUCCEEDED")
    series.push({
      key: "production",
      name: production.target.label ? `Production (${production.target.label})` : "Production",
      metrics: production.metrics,
    });
  if (base?.status === "SUCCEEDED")
    series.push({ key: "base", name: "Base model", metrics: base.metrics });

  return (
    <Card aria-labelledby="evals-title">
      <CardHeader
        title={<span id="evals-title">Evaluations</span>}
        description="This version, production and the base model on the Model's suite."
      />
      {roles.length === 0 ? (
        <EmptyState
          title="Not evaluated yet"
          description="Runs start when the version is registered and the Model has an eval suite; start one from Evals."
        />
      ) : (
        <>
          {series.length > 0 && (
            <CardBody>
              <MetricCompareChart title="Accuracy by run" series={series} />
            </CardBody>
          )}
          <Table caption="Evaluation runs">
            <THead>
              <Tr>
                <Th>Run of</Th>
                <Th>Target</Th>
                <Th>Status</Th>
                <Th>Progress</Th>
                <Th>
                  <span className="sr-only">Link</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {roles.map(({ role, run }) => (
                <Tr key={run.runId}>
                  <Td>{role}</Td>
                  <Td>
                    <span className="muted">{TARGET_KIND_LABEL[run.target.kind]}</span>{" "}
                    <span className="mono">{run.target.label}</span>
                  </Td>
                  <Td>
                    <EvalStatusBadge status={run.status} />
                  </Td>
                  <Td className="job-progress-cell">
                    <EvalProgress
                      status={run.status}
                      progress={run.progress}
                      caseCount={run.caseCount}
                      label={`Progress of the ${role} run`}
                    />
                  </Td>
                  <Td align="right">
                    <Link href={evalRunHref(run.runId)} aria-label={`Open the ${role} run`}>
                      Open run
                    </Link>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </>
      )}
    </Card>
  );
}
