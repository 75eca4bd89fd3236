import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { apiKeySchema, createdApiKeySchema, type CreateApiKeyBody } from "@/lib/schemas/api-keys";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** Only for members allowed "api-key.manage" (the server answers 403 otherwise). */
export function useApiKeys({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: () => apiFetch("/api/v1/api-keys", z.array(apiKeySchema)),
    enabled,
  });
}

/** The response holds the only copy of the key; the caller shows it once. */
export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) =>
      apiFetch("/api/v1/api-keys", createdApiKeySchema, { method: "POST", json: body }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.apiKeys }),
        qc.invalidateQueries({ queryKey: queryKeys.auditEvents }),
      ]),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`/api/v1/api-keys/${encodeURIComponent(id)}`, apiKeySchema, { method: "DELETE" }),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.apiKeys }),
        qc.invalidateQueries({ queryKey: queryKeys.auditEvents }),
      ]),
  });
}
