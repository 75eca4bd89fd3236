"use client";

import Link from "next/link";
import type { HomeJob } from "@/lib/schemas/home";
import { jobHref, modelHref } from "@/lib/client/hrefs";
import { STATUS_LABEL, STATUS_TONE, TRIGGER_LABEL } from "@/lib/client/training-labels";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { QuietEmpty } from "./quiet-empty";

function JobName({ job }: { job: HomeJob }) {
  return (
    <>
      <Link href={jobHref(job.id)} className="strong-link">
        {job.name}
      </Link>{" "}
      <span className="muted small">{TRIGGER_LABEL[job.trigger]}</span>
    </>
  );
}

/** Training jobs queued or running now. */
export function RunningJobsCard({ jobs }: { jobs: readonly HomeJob[] }) {
  return (
    <Card aria-labelledby="home-running-title">
      <CardHeader
        title={<span id="home-running-title">Running jobs</span>}
        description="Queued, starting, running or being cancelled."
        actions={
          <Link href="/training-jobs" className="btn btn-sm btn-ghost">
            All jobs
          </Link>
        }
      />
      {jobs.length === 0 ? (
        <QuietEmpty title="No job is running">
          Launch one from a dataset version or from{" "}
          <Link href="/training-jobs/new">New training job</Link>.
        </QuietEmpty>
      ) : (
        <Table caption="Running jobs">
          <THead>
            <Tr>
              <Th>Job</Th>
              <Th>Model</Th>
              <Th>Status</Th>
              <Th align="right">Progress</Th>
              <Th>Launched</Th>
            </Tr>
          </THead>
          <TBody>
            {jobs.map((j) => (
              <Tr key={j.id}>
                <Td>
                  <JobName job={j} />
                </Td>
                <Td>
                  <Link href={modelHref(j.modelId)}>{j.modelName}</Link>
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[j.status]}>{STATUS_LABEL[j.status]}</Badge>
                </Td>
                <Td align="right" className="mono">
                  {Math.round(j.progress * 100)}%
                </Td>
                <Td className="nowrap">
                  <TimeStamp iso={j.createdAt} format="relative" />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

/** Jobs that failed in the recent window, with the reason they give. */
export function FailedJobsCard({ jobs, days }: { jobs: readonly HomeJob[]; days: number }) {
  return (
    <Card aria-labelledby="home-failed-title">
      <CardHeader
        title={<span id="home-failed-title">Failed jobs</span>}
        description={`In the last ${days} days.`}
      />
      {jobs.length === 0 ? (
        <QuietEmpty title="No job failed">Nothing failed in the last {days} days.</QuietEmpty>
      ) : (
        <Table caption="Failed jobs">
          <THead>
            <Tr>
              <Th>Job</Th>
              <Th>Model</Th>
              <Th>Why</Th>
              <Th>Failed</Th>
            </Tr>
          </THead>
          <TBody>
            {jobs.map((j) => (
              <Tr key={j.id}>
                <Td>
                  <JobName job={j} />
                </Td>
                <Td>
                  <Link href={modelHref(j.modelId)}>{j.modelName}</Link>
                </Td>
                <Td className="small">
                  <span className="truncate" title={j.error ?? undefined}>
                    {j.error ?? "—"}
                  </span>
                </Td>
                <Td className="nowrap">
                  <TimeStamp iso={j.finishedAt ?? j.createdAt} format="relative" />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
