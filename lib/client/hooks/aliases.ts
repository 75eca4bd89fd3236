import { useMutation, useQueryClient } from "@tanstack/react-query";
import { modelVersionDetailSchema, type SetAliasesBody } from "@/lib/schemas/models";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { modelKeys } from "./models";

/**
 * PUT /model-versions/{id}/aliases: the version's whole alias list. An alias taken here moves
 * from the sibling that held it, so the Model and every version of it are read again.
 */
export function useSetAliases(versionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SetAliasesBody) =>
      apiFetch(
        `/api/v1/model-versions/${encodeURIComponent(versionId)}/aliases`,
        modelVersionDetailSchema,
        { method: "PUT", json: body },
      ),
    onSuccess: (v) => {
      qc.setQueryData(modelKeys.version(v.id), v);
      return Promise.all([
        qc.invalidateQueries({ queryKey: modelKeys.all }),
        qc.invalidateQueries({ queryKey: queryKeys.modelVersions }),
      ]);
    },
  });
}
