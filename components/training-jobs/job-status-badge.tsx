import type { TrainingJobSummary } from "@/lib/schemas/training-jobs";
import { isSlotHeld } from "@/lib/domain/training-status";
import { STATUS_LABEL, STATUS_TONE } from "@/lib/client/training-labels";
import { Badge } from "@/components/ui/badge";
import { Spinner } from "@/components/ui/spinner";

/** A job's or attempt's status in words and colour (never colour alone). */
export function JobStatusBadge({
  status,
  ...props
}: {
  status: TrainingJobSummary["status"];
  "data-testid"?: string;
}) {
  const moving = isSlotHeld(status);
  return (
    <Badge tone={STATUS_TONE[status]} data-status={status} {...props}>
      {moving && <Spinner />}
      {STATUS_LABEL[status]}
    </Badge>
  );
}
