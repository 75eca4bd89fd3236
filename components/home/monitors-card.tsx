"use client";

import Link from "next/link";
import type { HomeMonitor } from "@/lib/schemas/home";
import { modelHref, monitorHref } from "@/lib/client/hrefs";
import { formatCondition, formatMonitorValue } from "@/lib/client/monitor-format";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { QuietEmpty } from "./quiet-empty";

/** Enabled monitors whose last check breached: production drifting away from what was trained. */
export function MonitorsCard({ monitors }: { monitors: readonly HomeMonitor[] }) {
  return (
    <Card aria-labelledby="home-monitors-title">
      <CardHeader
        title={<span id="home-monitors-title">Monitors in breach</span>}
        description="Their last check crossed the threshold."
        actions={
          <Link href="/monitors" className="btn btn-sm btn-ghost">
            All monitors
          </Link>
        }
      />
      {monitors.length === 0 ? (
        <QuietEmpty title="No monitor is in breach">
          Monitors watch a Model’s production telemetry; one that breaches shows here until a check
          finds it healthy again.
        </QuietEmpty>
      ) : (
        <Table caption="Monitors in breach">
          <THead>
            <Tr>
              <Th>Monitor</Th>
              <Th>Model</Th>
              <Th align="right">Last value</Th>
              <Th>Breaches when</Th>
              <Th>Breached</Th>
            </Tr>
          </THead>
          <TBody>
            {monitors.map((m) => (
              <Tr key={m.id}>
                <Td>
                  <Link href={monitorHref(m.id)} className="strong-link">
                    {m.name}
                  </Link>
                </Td>
                <Td>
                  <Link href={modelHref(m.modelId)}>{m.modelName}</Link>
                </Td>
                <Td align="right" className="mono text-danger">
                  {formatMonitorValue(m.metric, m.lastValue)}
                </Td>
                <Td className="mono">{formatCondition(m.metric, m.comparator, m.threshold)}</Td>
                <Td className="nowrap">
                  {m.lastBreachAt ? <TimeStamp iso={m.lastBreachAt} format="relative" /> : "—"}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
