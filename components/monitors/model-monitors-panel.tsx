"use client";

import { useMonitors } from "@/lib/client/hooks/monitors";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { MonitorsTable } from "./monitors-table";
import { NewMonitorDialog } from "./new-monitor-dialog";

/** One Model's drift monitors with their state; "New monitor" is preset to this Model. */
export function ModelMonitorsPanel({
  model,
  editable,
}: {
  model: { id: string; name: string };
  editable: boolean;
}) {
  const monitors = useMonitors(model.id);
  return (
    <Card aria-labelledby="model-monitors-title">
      <CardHeader
        title={<span id="model-monitors-title">Monitors</span>}
        description="Thresholds over this Model's telemetry; a breach alerts or opens a retrain."
        actions={
          editable ? (
            <NewMonitorDialog presetModel={model} variant="secondary" size="sm" />
          ) : undefined
        }
      />
      {monitors.isPending ? (
        <LoadingState label="Loading monitors…" rows={2} />
      ) : monitors.isError ? (
        <ErrorState
          title="Could not load monitors"
          error={monitors.error}
          onRetry={() => void monitors.refetch()}
          retrying={monitors.isFetching}
        />
      ) : monitors.data.length === 0 ? (
        <EmptyState
          title="No monitors on this Model"
          description={
            editable
              ? "Add one with “New monitor”: for instance the tool-call error rate over 24 hours above 10%, with enough samples, opening a retrain."
              : "Engineers and above add monitors."
          }
        />
      ) : (
        <MonitorsTable
          monitors={monitors.data}
          caption={`Monitors of ${model.name}`}
          showModel={false}
        />
      )}
    </Card>
  );
}
