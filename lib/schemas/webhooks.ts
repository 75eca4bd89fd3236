import { z } from "zod";
import { NOTIFICATION_KINDS } from "@/lib/domain/notifications";
import { isoDateSchema } from "./common";

/** Outgoing webhooks: lifecycle events POSTed as Slack-compatible JSON, signed with HMAC-SHA256. */

export const webhookEventSchema = z.enum([...NOTIFICATION_KINDS, "*"]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: "an http(s) URL" })
  .max(2_000)
  .refine((u) => {
    const parsed = new URL(u);
    return parsed.username === "" && parsed.password === "";
  }, "must not contain a user name or password (receivers authenticate by the signature)");

export const createWebhookBodySchema = z.strictObject({
  url: webhookUrlSchema,
  /** Event kinds to send, or "*" for all of them. */
  events: z
    .array(webhookEventSchema)
    .min(1, 'choose at least one event, or "*" for all')
    .transform((e) => [...new Set(e)]),
  /** Signing secret; omitted, retune generates one and returns it once. */
  secret: z.string().min(16, "at least 16 characters").max(200).optional(),
});
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  active: z.boolean(),
  createdAt: isoDateSchema,
});
export type Webhook = z.infer<typeof webhookSchema>;

/** Returned once, at creation: the signing secret is stored encrypted and never shown again. */
export const createdWebhookSchema = webhookSchema.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;

/** PENDING until a 2xx (DELIVERED) or the last retry fails (FAILED). */
export const webhookDeliveryStatusSchema = z.enum(["PENDING", "DELIVERED", "FAILED"]);
export type WebhookDeliveryStatus = z.infer<typeof webhookDeliveryStatusSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  event: z.string(),
  status: webhookDeliveryStatusSchema,
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  payload: z.unknown(),
  createdAt: isoDateSchema,
  deliveredAt: isoDateSchema.nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
