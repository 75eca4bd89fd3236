import type { TraceSummary } from "@/lib/schemas/traces";
import { Badge } from "@/components/ui/badge";
import { OUTCOME_LABEL, OUTCOME_TONE } from "./labels";

export function OutcomeBadge({ outcome }: { outcome: TraceSummary["outcome"] }) {
  return <Badge tone={OUTCOME_TONE[outcome]}>{OUTCOME_LABEL[outcome]}</Badge>;
}
