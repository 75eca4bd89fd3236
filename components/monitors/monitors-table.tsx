import Link from "next/link";
import type { Monitor } from "@/lib/schemas/monitors";
import { monitorHref, modelHref } from "@/lib/client/hrefs";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { formatCondition, formatMonitorValue } from "./format";
import { ACTION_LABEL, METRIC_LABEL } from "./labels";
import { MonitorStateBadge } from "./monitor-state-badge";

/**
 * Monitors with their state and last value next to the condition that breaches, so a glance
 * says how close each is. `showModel` is off on a Model's own page.
 */
export function MonitorsTable({
  monitors,
  caption,
  showModel = true,
}: {
  monitors: readonly Monitor[];
  caption: string;
  showModel?: boolean;
}) {
  return (
    <Table caption={caption}>
      <THead>
        <Tr>
          <Th>Monitor</Th>
          {showModel && <Th>Model</Th>}
          <Th>State</Th>
          <Th align="right">Last value</Th>
          <Th>Breaches when</Th>
          <Th>Window</Th>
          <Th>Last checked</Th>
          <Th>Action</Th>
        </Tr>
      </THead>
      <TBody>
        {monitors.map((m) => (
          <Tr key={m.id} className={m.enabled ? undefined : "row-muted"}>
            <Td>
              <Link href={monitorHref(m.id)} className="strong-link">
                {m.name}
              </Link>
              <span className="cell-sub">{METRIC_LABEL[m.metric]}</span>
            </Td>
            {showModel && (
              <Td>
                <Link href={modelHref(m.modelId)}>{m.modelName}</Link>
              </Td>
            )}
            <Td>
              <MonitorStateBadge monitor={m} />
            </Td>
            <Td
              align="right"
              className={m.state === "WARNING" ? "mono text-danger" : "mono"}
              data-testid="monitor-last-value"
            >
              {formatMonitorValue(m.metric, m.lastValue)}
            </Td>
            <Td className="mono nowrap">{formatCondition(m.metric, m.comparator, m.threshold)}</Td>
            <Td className="mono">{m.window}</Td>
            <Td className="nowrap">
              {m.lastCheckedAt ? (
                <TimeStamp iso={m.lastCheckedAt} format="relative" />
              ) : (
                <span className="muted">never</span>
              )}
            </Td>
            <Td>{ACTION_LABEL[m.action]}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
