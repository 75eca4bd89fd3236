"use client";

import { useMonitors } from "@/lib/client/hooks/monitors";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
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
      <QueryView
        query={monitors}
        loading="Loading monitors…"
        rows={2}
        errorTitle="Could not load monitors"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            title="No monitors on this Model"
            description={
              editable
                ? "Add one with “New monitor”: for instance the tool-call error rate over 24 hours above 10%, with enough samples, opening a retrain."
                : "Engineers and above add monitors."
            }
          />
        }
      >
        {(list) => (
          <MonitorsTable monitors={list} caption={`Monitors of ${model.name}`} showModel={false} />
        )}
      </QueryView>
    </Card>
  );
}
