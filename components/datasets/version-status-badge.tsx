import type { DatasetVersion } from "@/lib/schemas/datasets";
import { Badge } from "@/components/ui/badge";
import { Spinner } from "@/components/ui/spinner";

const LABEL: Record<DatasetVersion["status"], string> = {
  VALIDATING: "Validating",
  READY: "Ready",
  INVALID: "Invalid",
};

/** A version's status in words and colour (never colour alone). */
export function VersionStatusBadge({ status }: { status: DatasetVersion["status"] }) {
  const tone = status === "READY" ? "success" : status === "INVALID" ? "danger" : "info";
  return (
    <Badge tone={tone}>
      {status === "VALIDATING" && <Spinner />}
      {LABEL[status]}
    </Badge>
  );
}
