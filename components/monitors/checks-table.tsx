"use client";

import Link from "next/link";
import { useState } from "react";
import type { DriftCheck, MonitorMetric } from "@/lib/schemas/monitors";
import { formatCount } from "@/lib/client/format-units";
import { retrainingHref } from "@/lib/client/hrefs";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { formatMonitorValue } from "./format";
import { CHECK_OUTCOME_LABEL, CHECK_STATUS_LABEL, CHECK_STATUS_TONE } from "./labels";

/** Rows shown before "Show all": the chart above already gives the long view. */
const FIRST_ROWS = 25;

/** Stored checks, newest first: when, over which window, what it measured and what it did. */
export function ChecksTable({
  checks,
  metric,
  modelId,
}: {
  checks: readonly DriftCheck[];
  metric: MonitorMetric;
  modelId: string;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? checks : checks.slice(0, FIRST_ROWS);
  return (
    <>
      <Table caption="Checks" data-testid="checks-table">
        <THead>
          <Tr>
            <Th>Checked</Th>
            <Th>Window</Th>
            <Th align="right">Value</Th>
            <Th align="right">Samples</Th>
            <Th>Status</Th>
            <Th>Outcome</Th>
            <Th>Source</Th>
          </Tr>
        </THead>
        <TBody>
          {shown.map((c) => (
            <Tr key={c.id}>
              <Td className="nowrap">
                <TimeStamp iso={c.createdAt} />
              </Td>
              <Td className="nowrap small">
                <TimeStamp iso={c.windowStart} /> – <TimeStamp iso={c.windowEnd} />
              </Td>
              <Td align="right" className={c.breached ? "mono text-danger" : "mono"}>
                {formatMonitorValue(metric, c.value)}
              </Td>
              <Td align="right" className="mono">
                {formatCount(c.samples)}
              </Td>
              <Td>
                <Badge tone={CHECK_STATUS_TONE[c.status]}>{CHECK_STATUS_LABEL[c.status]}</Badge>
              </Td>
              <Td>
                {c.outcome ? CHECK_OUTCOME_LABEL[c.outcome] : <span className="muted">—</span>}
                {c.retrainRequestId && (
                  <span className="cell-sub">
                    <Link href={retrainingHref(modelId)}>View retrain</Link>
                  </span>
                )}
              </Td>
              <Td className="muted">{c.source}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
      {checks.length > FIRST_ROWS && (
        <div className="card-body">
          <div>
            <Button size="sm" onClick={() => setAll(!all)}>
              {all ? `Show the latest ${FIRST_ROWS}` : `Show all ${checks.length} checks`}
            </Button>
          </div>
        </div>
      )}
    </>
  );
}
