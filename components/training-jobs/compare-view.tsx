"use client";

import { isSlotHeld } from "@/lib/domain/training-status";
import Link from "next/link";
import { useState } from "react";
import type { TrainingJob } from "@/lib/schemas/training-jobs";
import { findBaseModel } from "@/lib/domain/base-models";
import { formatCount, formatMetric, formatUsd } from "@/lib/client/format-units";
import {
  isLiveStatus,
  useMetricsOfJobs,
  useTrainingJobsById,
  type MetricPoint,
} from "@/lib/client/hooks/training-jobs";
import { jobHref } from "@/lib/client/hrefs";
import { METHOD_LABEL } from "@/lib/client/training-labels";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { currentPoints, type ChartRow } from "./chart-data";
import { hpValue } from "./hyperparameter-list";
import { JobStatusBadge } from "./job-status-badge";
import { MetricChart, type Series } from "./metric-charts";

const PALETTE = [
  "var(--accent)",
  "var(--success)",
  "var(--warning)",
  "var(--danger)",
  "#8b5cf6",
  "#0d9488",
  "#db2777",
  "#64748b",
];

function lastValue(points: readonly MetricPoint[], name: string): number | undefined {
  for (let i = points.length - 1; i >= 0; i--)
    if (points[i]!.name === name) return points[i]!.value;
  return undefined;
}

function minValue(points: readonly MetricPoint[], name: string): number | undefined {
  const vs = points.filter((p) => p.name === name).map((p) => p.value);
  return vs.length ? Math.min(...vs) : undefined;
}

/** Loss curves of several jobs on one chart, and their key settings and results side by side. */
export function CompareView({ ids }: { ids: string[] }) {
  const details = useTrainingJobsById(ids);
  const loaded = details.flatMap((d) => (d.data ? [d.data] : []));
  const metrics = useMetricsOfJobs(
    loaded.map((j) => ({
      id: j.id,
      attempt: j.attempt,
      live: isSlotHeld(j.status),
    })),
  );
  const [showEval, setShowEval] = useState(true);

  const header = (
    <>
      <Breadcrumbs
        items={[{ href: "/training-jobs", label: "Training jobs" }, { label: "Compare" }]}
      />
      <PageHeader
        title="Compare training jobs"
        description="Loss curves overlaid by step, with the settings that differ."
      />
    </>
  );

  if (ids.length < 2) {
    return (
      <>
        {header}
        <EmptyState
          title="Pick at least two jobs"
          description="Tick two or more jobs in the list, then choose Compare."
        >
          <Link href="/training-jobs" className="btn">
            Back to training jobs
          </Link>
        </EmptyState>
      </>
    );
  }
  if (details.some((d) => d.isPending)) {
    return (
      <>
        {header}
        <LoadingState label="Loading jobs…" rows={5} />
      </>
    );
  }
  const failed = details.filter((d) => d.isError);

  const jobs: { job: TrainingJob; points: MetricPoint[]; color: string }[] = loaded.map(
    (job, i) => {
      const current = job.attempts.find((a) => a.attempt === job.attempt);
      return {
        job,
        points: currentPoints(
          metrics[i]?.data?.points ?? [],
          job.attempt,
          current?.resumedFromStep ?? null,
        ),
        color: PALETTE[i % PALETTE.length]!,
      };
    },
  );

  const rows = new Map<number, ChartRow>();
  for (const [i, { points }] of jobs.entries()) {
    for (const p of points) {
      if (p.name !== "loss" && !(showEval && p.name === "eval_loss")) continue;
      let row = rows.get(p.step);
      if (!row) rows.set(p.step, (row = { step: p.step }));
      row[`${p.name === "loss" ? "l" : "e"}${i}`] = p.value;
    }
  }
  const chartRows = [...rows.values()].sort((a, b) => a.step - b.step);
  const series: Series[] = jobs.flatMap(({ job, color }, i) => [
    { key: `l${i}`, name: job.name, color },
    ...(showEval ? [{ key: `e${i}`, name: `${job.name} (eval)`, color, dashed: true }] : []),
  ]);
  const lossPoints = jobs.reduce((n, j) => n + j.points.filter((p) => p.name === "loss").length, 0);
  const maxSteps = Math.max(0, ...jobs.map((j) => j.job.totalSteps ?? 0)) || null;
  const metricsPending = metrics.some((m) => m.isPending);
  const metricsError = metrics.find((m) => m.isError)?.error;

  return (
    <>
      {header}
      <div className="stack-lg">
        {failed.length > 0 && (
          <ErrorState
            title={`Could not load ${failed.length} of the jobs`}
            error={failed[0]!.error}
            onRetry={() => failed.forEach((d) => void d.refetch())}
          />
        )}
        <Card>
          <CardHeader
            title="Loss"
            description={
              jobs.some((j) => isLiveStatus(j.job.status))
                ? "Live jobs keep adding points."
                : "Training loss by step; dashed: eval loss."
            }
            actions={
              <Checkbox
                className="checkbox-plain"
                label="Show eval loss"
                checked={showEval}
                onChange={(e) => setShowEval(e.currentTarget.checked)}
              />
            }
          />
          <CardBody>
            {metricsError ? (
              <ErrorState title="Could not load metrics" error={metricsError} />
            ) : metricsPending ? (
              <LoadingState label="Loading metrics…" rows={3} />
            ) : (
              <MetricChart
                title="Loss by job"
                testId="compare-loss-chart"
                rows={chartRows}
                series={series}
                totalSteps={maxSteps}
                pointCount={lossPoints}
                height={320}
                emptyText="None of these jobs has logged a loss yet."
              />
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Settings and results" />
          <Table caption="Compared jobs">
            <THead>
              <Tr>
                <Th>Job</Th>
                <Th>Status</Th>
                <Th>Base model</Th>
                <Th>Method</Th>
                <Th align="right">r / alpha</Th>
                <Th align="right">LR</Th>
                <Th align="right">Batch</Th>
                <Th align="right">Seq. len</Th>
                <Th align="right">Steps</Th>
                <Th align="right">Final loss</Th>
                <Th align="right">Best eval loss</Th>
                <Th align="right">Cost</Th>
              </Tr>
            </THead>
            <TBody>
              {jobs.map(({ job, points, color }) => {
                const hp = job.spec.hyperparameters;
                const gpus = job.spec.compute.gpuCount;
                return (
                  <Tr key={job.id}>
                    <Td>
                      <span
                        className="legend-dot"
                        style={{ background: color }}
                        aria-hidden="true"
                      />{" "}
                      <Link href={jobHref(job.id)} className="strong-link">
                        {job.name}
                      </Link>
                    </Td>
                    <Td>
                      <JobStatusBadge status={job.status} />
                    </Td>
                    <Td className="nowrap">
                      {findBaseModel(job.baseModel)?.name ?? job.baseModel}
                    </Td>
                    <Td>{METHOD_LABEL[job.method]}</Td>
                    <Td align="right" className="mono nowrap">
                      {hp.loraR} / {hp.loraAlpha}
                    </Td>
                    <Td align="right" className="mono nowrap">
                      {hpValue(hp, "learningRate")}
                    </Td>
                    <Td align="right" className="mono" title="micro batch × accumulation × GPUs">
                      {hp.microBatchSize * hp.gradientAccumulationSteps * gpus}
                    </Td>
                    <Td align="right" className="mono nowrap">
                      {formatCount(hp.sequenceLen)}
                    </Td>
                    <Td align="right" className="mono nowrap">
                      {formatCount(job.currentStep)}
                      {job.totalSteps ? ` / ${formatCount(job.totalSteps)}` : ""}
                    </Td>
                    <Td align="right" className="mono nowrap">
                      {formatMetric(lastValue(points, "loss"))}
                    </Td>
                    <Td align="right" className="mono nowrap">
                      {formatMetric(minValue(points, "eval_loss"))}
                    </Td>
                    <Td align="right">{formatUsd(job.costUsd)}</Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        </Card>
      </div>
    </>
  );
}
