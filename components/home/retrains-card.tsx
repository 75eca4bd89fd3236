"use client";

import Link from "next/link";
import type { HomeRetrain } from "@/lib/schemas/home";
import type { BadgeTone } from "@/lib/client/badge-tone";
import { jobHref, modelVersionHref, retrainingHref } from "@/lib/client/hrefs";
import { STATUS_LABEL, STATUS_TONE } from "@/lib/client/training-labels";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { QuietEmpty } from "./quiet-empty";

const TRIGGER: Record<HomeRetrain["trigger"], string> = {
  DRIFT: "Drift",
  SCHEDULE: "Schedule",
  MANUAL: "Run now",
};

const STATUS: Record<HomeRetrain["status"], { label: string; tone: BadgeTone }> = {
  BUILDING: { label: "Building dataset", tone: "info" },
  LAUNCHED: { label: "Launched", tone: "info" },
  SKIPPED: { label: "Skipped", tone: "warning" },
  FAILED: { label: "Failed", tone: "danger" },
};

/** Retrains opened lately (by drift, a schedule or a person), and how far each got. */
export function RetrainsCard({
  retrains,
  days,
}: {
  retrains: readonly HomeRetrain[];
  days: number;
}) {
  return (
    <Card aria-labelledby="home-retrains-title">
      <CardHeader
        title={<span id="home-retrains-title">Recent retrains</span>}
        description={`Opened in the last ${days} days; the Model page draws each one step by step.`}
      />
      {retrains.length === 0 ? (
        <QuietEmpty title="No retrains lately">
          A breached monitor with the retrain action, a retrain policy’s schedule or its Run now
          opens one.
        </QuietEmpty>
      ) : (
        <Table caption="Recent retrains">
          <THead>
            <Tr>
              <Th>Model</Th>
              <Th>Trigger</Th>
              <Th>Status</Th>
              <Th>Why</Th>
              <Th>Result</Th>
              <Th>Opened</Th>
            </Tr>
          </THead>
          <TBody>
            {retrains.map((r) => (
              <Tr key={r.id}>
                <Td>
                  <Link href={retrainingHref(r.modelId)} className="strong-link">
                    {r.modelName}
                  </Link>
                </Td>
                <Td>{TRIGGER[r.trigger]}</Td>
                <Td>
                  <Badge tone={STATUS[r.status].tone}>{STATUS[r.status].label}</Badge>
                </Td>
                <Td className="small">
                  <span className="truncate" title={r.error ?? r.reason}>
                    {r.error ?? r.reason}
                  </span>
                </Td>
                <Td className="nowrap">
                  {r.modelVersionId ? (
                    <Link href={modelVersionHref(r.modelVersionId)}>New version</Link>
                  ) : r.trainingJobId && r.jobStatus ? (
                    <Link href={jobHref(r.trainingJobId)}>
                      Job <Badge tone={STATUS_TONE[r.jobStatus]}>{STATUS_LABEL[r.jobStatus]}</Badge>
                    </Link>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </Td>
                <Td className="nowrap">
                  <TimeStamp iso={r.createdAt} format="relative" />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
