import { z } from "zod";
import { deletedSchema } from "@/lib/schemas/common";
import {
  createdWebhookSchema,
  createWebhookBodySchema,
  webhookDeliverySchema,
  webhookSchema,
} from "@/lib/schemas/webhooks";
import type { Operation } from "./spec";

/** Outgoing webhooks (lib/server/webhooks). */
export const webhookOperations: Operation[] = [
  {
    id: "listWebhooks",
    method: "get",
    path: "/api/v1/webhooks",
    tag: "Webhooks",
    summary: "The team's webhooks",
    auth: { action: "team.update" },
    responses: { 200: z.array(webhookSchema) },
  },
  {
    id: "createWebhook",
    method: "post",
    path: "/api/v1/webhooks",
    tag: "Webhooks",
    summary: "Subscribe a URL to events",
    description:
      "Deliveries are signed with a secret returned once, here; internal addresses are refused unless RETUNE_OUTBOUND_ALLOW admits them.",
    auth: { action: "team.update" },
    body: createWebhookBodySchema,
    responses: { 201: createdWebhookSchema },
    errors: {
      400: "The body is not JSON, the URL is not usable, or no event was chosen.",
      422: "Validation failed, or the URL's address is refused (internal, link-local, …).",
    },
  },
  {
    id: "deleteWebhook",
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    tag: "Webhooks",
    summary: "Delete a webhook",
    auth: { action: "team.update" },
    params: { id: "Webhook id" },
    responses: { 200: deletedSchema },
  },
  {
    id: "listWebhookDeliveries",
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    tag: "Webhooks",
    summary: "A webhook's recent deliveries and their outcome",
    auth: { action: "team.update" },
    params: { id: "Webhook id" },
    responses: { 200: z.array(webhookDeliverySchema) },
  },
];
