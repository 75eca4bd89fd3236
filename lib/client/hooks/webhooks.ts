import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import {
  createdWebhookSchema,
  webhookDeliverySchema,
  webhookSchema,
  type CreateWebhookBody,
} from "@/lib/schemas/webhooks";
import { type PutSecretBody, secretSchema } from "@/lib/schemas/secrets";
import { deletedSchema } from "@/lib/schemas/common";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

const enc = encodeURIComponent;

export const webhookKeys = {
  list: [...queryKeys.webhooks, "list"] as const,
  deliveries: (id: string) => [...queryKeys.webhooks, "deliveries", id] as const,
  secrets: [...queryKeys.secrets, "list"] as const,
};

/** Admins and owners only (team.update); pass enabled: false for other roles. */
export function useWebhooks({ enabled = true } = {}) {
  return useQuery({
    queryKey: webhookKeys.list,
    queryFn: () => apiFetch("/api/v1/webhooks", z.array(webhookSchema)),
    enabled,
  });
}

/** The signing secret comes back once, in this mutation's data; it is never readable again. */
export function useCreateWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookBody) =>
      apiFetch("/api/v1/webhooks", createdWebhookSchema, { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhookKeys.list }),
  });
}

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`/api/v1/webhooks/${enc(id)}`, deletedSchema, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhookKeys.list }),
  });
}

/** Recent deliveries of one webhook; re-read every 5 s while any is still pending. */
export function useWebhookDeliveries(id: string, { enabled = true } = {}) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id),
    queryFn: () =>
      apiFetch(`/api/v1/webhooks/${enc(id)}/deliveries`, z.array(webhookDeliverySchema)),
    enabled,
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === "PENDING") ? 5_000 : false),
  });
}

/** Names and allowed origins only: values are written once and never read back through the API. */
export function useSecrets({ enabled = true } = {}) {
  return useQuery({
    queryKey: webhookKeys.secrets,
    queryFn: () => apiFetch("/api/v1/secrets", z.array(secretSchema)),
    enabled,
  });
}

/** Writes a value, the origins the secret may be sent to, or both (what is omitted stays). */
export function usePutSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ name, ...body }: { name: string } & PutSecretBody) =>
      apiFetch(`/api/v1/secrets/${enc(name)}`, secretSchema, { method: "PUT", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhookKeys.secrets }),
  });
}

export function useDeleteSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiFetch(`/api/v1/secrets/${enc(name)}`, deletedSchema, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhookKeys.secrets }),
  });
}
