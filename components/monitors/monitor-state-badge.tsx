import type { Monitor } from "@/lib/schemas/monitors";
import { Badge } from "@/components/ui/badge";
import { MONITOR_STATE_LABEL, MONITOR_STATE_TONE } from "./labels";

/** The monitor's state from its last check; a disabled monitor says so, since it checks nothing. */
export function MonitorStateBadge({
  monitor,
  testId,
}: {
  monitor: Pick<Monitor, "state" | "enabled">;
  testId?: string;
}) {
  return (
    <span className="badge-list">
      <Badge tone={MONITOR_STATE_TONE[monitor.state]} data-testid={testId}>
        {MONITOR_STATE_LABEL[monitor.state]}
      </Badge>
      {!monitor.enabled && <Badge>Disabled</Badge>}
    </span>
  );
}
