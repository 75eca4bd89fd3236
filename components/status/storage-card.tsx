"use client";

import { formatBytes, formatCount } from "@/lib/client/format-units";
import { useTelemetryStorage } from "@/lib/client/hooks/telemetry";
import type { TelemetryStorage } from "@/lib/schemas/telemetry";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryView } from "@/components/ui/query-view";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

function Row({
  what,
  rows,
  bytes,
  oldestDay,
  kept,
  note,
}: {
  what: string;
  rows: number;
  bytes: number;
  oldestDay: string | null;
  kept: string;
  note?: string;
}) {
  return (
    <Tr>
      <Td>
        {what}
        {note && <span className="muted"> · {note}</span>}
      </Td>
      <Td align="right">{formatCount(rows)}</Td>
      <Td align="right">{formatBytes(bytes)}</Td>
      <Td className="mono">{oldestDay ?? "—"}</Td>
      <Td>{kept}</Td>
    </Tr>
  );
}

function StorageTable({ s }: { s: TelemetryStorage }) {
  const days = (n: number) => `${n} days`;
  return (
    <Table caption="Telemetry storage">
      <THead>
        <Tr>
          <Th>Data</Th>
          <Th align="right">Rows (≈)</Th>
          <Th align="right">Size</Th>
          <Th>Oldest day held</Th>
          <Th>Kept for</Th>
        </Tr>
      </THead>
      <TBody>
        <Row
          what="Telemetry events"
          note={`${s.events.partitions} day partitions${s.events.defaultRows ? `, ${formatCount(s.events.defaultRows)} awaiting a partition` : ""}`}
          rows={s.events.rows}
          bytes={s.events.bytes}
          oldestDay={s.events.oldestDay}
          kept={`${days(s.retention.eventsDays)} (this team)`}
        />
        <Row
          what="Per-minute rollups"
          rows={s.rollups.rows}
          bytes={s.rollups.bytes}
          oldestDay={s.rollups.oldestDay}
          kept={days(s.retention.rollupsDays)}
        />
        <Row
          what="Traces"
          note={`index ${formatBytes(s.traces.bytes)} + ${formatCount(s.traces.files)} files`}
          rows={s.traces.rows}
          bytes={s.traces.bytes + s.traces.fileBytes}
          oldestDay={s.traces.oldestDay}
          kept={`${days(s.retention.eventsDays)} (this team)`}
        />
      </TBody>
    </Table>
  );
}

/** What telemetry occupies on this deployment, and how long it is kept. */
export function StorageCard() {
  const storage = useTelemetryStorage();
  return (
    <Card>
      <CardHeader
        title="Telemetry storage"
        description="Shared by all teams of this deployment; expired days are dropped by the worker's maintenance."
      />
      <QueryView query={storage} loading="Measuring storage…" errorTitle="Could not read storage">
        {(s) => <StorageTable s={s} />}
      </QueryView>
    </Card>
  );
}
