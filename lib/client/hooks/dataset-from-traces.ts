import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  appendTracesAcceptedSchema,
  type AppendTracesBody,
} from "@/lib/schemas/dataset-from-traces";
import { apiFetch } from "../api";
import { datasetKeys } from "./use-datasets";

const enc = encodeURIComponent;

/** "Add to a dataset": the dataset's next version, its rows plus these traces. */
export function useAppendTracesToDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ datasetId, ...body }: AppendTracesBody & { datasetId: string }) =>
      apiFetch(
        `/api/v1/datasets/${enc(datasetId)}/versions/from-traces`,
        appendTracesAcceptedSchema,
        { method: "POST", json: body },
      ),
    // Every dataset list, detail and picker shows versions: all of them may change.
    onSuccess: () => qc.invalidateQueries({ queryKey: datasetKeys.all }),
  });
}
