import type { DatasetVersionOption, ModelVersionOption } from "@/lib/schemas/version-options";
import { formatCount } from "./format-units";
import { formatDateTime } from "./format";
import { STAGE_LABEL } from "./registry-labels";

/**
 * How the pickers name a version: "support agent · v3" (what the input shows once picked) and a
 * second line with what tells versions apart — stage or status, size, when it was made.
 */

export function modelVersionLabel(v: Pick<ModelVersionOption, "modelName" | "version">): string {
  return `${v.modelName} · v${v.version}`;
}

export function modelVersionDetail(
  v: Pick<ModelVersionOption, "stage" | "aliases" | "createdAt">,
): string {
  const aliases = v.aliases.map((a) => `@${a}`).join(" ");
  return [STAGE_LABEL[v.stage], aliases, `registered ${formatDateTime(v.createdAt)}`]
    .filter(Boolean)
    .join(" · ");
}

const DATASET_STATUS_LABEL: Record<DatasetVersionOption["status"], string> = {
  VALIDATING: "Validating",
  READY: "Ready",
  INVALID: "Invalid",
};

export function datasetVersionLabel(
  v: Pick<DatasetVersionOption, "datasetName" | "version">,
): string {
  return `${v.datasetName} · v${v.version}`;
}

export function datasetVersionDetail(
  v: Pick<DatasetVersionOption, "status" | "validRows" | "createdAt">,
): string {
  return [
    DATASET_STATUS_LABEL[v.status],
    v.validRows === null ? null : `${formatCount(v.validRows)} valid rows`,
    `created ${formatDateTime(v.createdAt)}`,
  ]
    .filter(Boolean)
    .join(" · ");
}
