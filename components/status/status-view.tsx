"use client";

import { formatTime } from "@/lib/client/format";
import { HEALTH_REFRESH_MS, useHealth } from "@/lib/client/hooks/use-health";
import type { Health } from "@/lib/schemas/health";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Spinner } from "@/components/ui/spinner";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { QueueChart } from "./queue-chart";
import { StorageCard } from "./storage-card";
import { WorkerCapabilitiesCell } from "./worker-capabilities";

type Probe = Health["db"];

function ProbeCard({ name, probe }: { name: string; probe: Probe }) {
  return (
    <Card aria-label={name} className="stat-card">
      <p className="stat-name">{name}</p>
      <p className="stat-value">
        {probe.ok ? <Badge tone="success">OK</Badge> : <Badge tone="danger">Down</Badge>}
        {probe.latencyMs !== null && <span className="stat-sub">{probe.latencyMs} ms</span>}
      </p>
      {probe.error && <p className="stat-error">{probe.error}</p>}
    </Card>
  );
}

function QueuesCard({ queues }: { queues: Health["queues"] }) {
  return (
    <Card>
      <CardHeader title="Queues" description="BullMQ job counts per queue." />
      {queues.length === 0 ? (
        <EmptyState
          title="No queue data"
          description="Queue depths are read from Redis; they show up when Redis answers."
        />
      ) : (
        <CardBody>
          <QueueChart queues={queues} />
          <Table caption="Queue depths">
            <THead>
              <Tr>
                <Th>Queue</Th>
                <Th align="right">Waiting</Th>
                <Th align="right">Active</Th>
                <Th align="right">Delayed</Th>
                <Th align="right">Failed</Th>
                <Th align="right">Completed</Th>
              </Tr>
            </THead>
            <TBody>
              {queues.map((q) => (
                <Tr key={q.name}>
                  <Td className="mono">{q.name}</Td>
                  <Td align="right">{q.waiting}</Td>
                  <Td align="right">{q.active}</Td>
                  <Td align="right">{q.delayed}</Td>
                  <Td align="right" className={q.failed > 0 ? "text-danger" : undefined}>
                    {q.failed}
                  </Td>
                  <Td align="right">{q.completed}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </CardBody>
      )}
    </Card>
  );
}

function WorkersCard({ workers }: { workers: Health["workers"] }) {
  return (
    <Card>
      <CardHeader
        title="Workers"
        description="Worker processes with a heartbeat in the last 30 seconds."
      />
      {workers.length === 0 ? (
        <EmptyState
          title="No live workers"
          description={
            <p>
              Nothing consumes the queues right now. Start one with <code>npm run worker</code>.
            </p>
          }
        />
      ) : (
        <Table caption="Live workers">
          <THead>
            <Tr>
              <Th>ID</Th>
              <Th>Host</Th>
              <Th align="right">PID</Th>
              <Th>Queues</Th>
              <Th>Can run</Th>
              <Th>Started</Th>
              <Th>Last seen</Th>
            </Tr>
          </THead>
          <TBody>
            {workers.map((w) => (
              <Tr key={w.id}>
                <Td className="mono">{w.id}</Td>
                <Td>{w.hostname}</Td>
                <Td align="right" className="mono">
                  {w.pid}
                </Td>
                <Td>
                  <span className="badge-list">
                    {w.queues.map((q) => (
                      <Badge key={q}>{q}</Badge>
                    ))}
                  </span>
                </Td>
                <Td>
                  <WorkerCapabilitiesCell capabilities={w.capabilities} queues={w.queues} />
                </Td>
                <Td>
                  <TimeStamp iso={w.startedAt} />
                </Td>
                <Td>
                  <TimeStamp iso={w.lastSeenAt} format="relative" />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

/** Reads GET /api/v1/health every 5 s; a failed refresh keeps the last answer on screen. */
export function StatusView() {
  const health = useHealth();
  if (health.isPending) return <LoadingState label="Checking services…" rows={4} />;
  if (health.isError && !health.data) {
    return (
      <ErrorState
        title="Could not reach the status endpoint"
        error={health.error}
        onRetry={() => void health.refetch()}
        retrying={health.isFetching}
      />
    );
  }
  const h = health.data;
  return (
    <div className="stack-lg">
      <div className="status-bar">
        {h.status === "ok" ? (
          <Badge tone="success">All systems operational</Badge>
        ) : (
          <Badge tone="danger">Degraded</Badge>
        )}
        <span className="muted">
          Checked at <time dateTime={h.checkedAt}>{formatTime(h.checkedAt)}</time> · refreshes every{" "}
          {HEALTH_REFRESH_MS / 1000} s
        </span>
        {health.isFetching && <Spinner />}
      </div>
      {health.isError && (
        <ErrorState
          title="The last refresh failed; showing the previous answer"
          error={health.error}
        />
      )}
      <div className="stat-grid">
        <ProbeCard name="Database" probe={h.db} />
        <ProbeCard name="Redis" probe={h.redis} />
        <Card aria-label="Live workers count" className="stat-card">
          <p className="stat-name">Live workers</p>
          <p className="stat-value">
            <span className="stat-number">{h.workers.length}</span>
          </p>
        </Card>
      </div>
      <QueuesCard queues={h.queues} />
      <WorkersCard workers={h.workers} />
      <StorageCard />
    </div>
  );
}
