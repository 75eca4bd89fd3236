import { z } from "zod";
import { isoDateSchema } from "./common";

/**
 * Team secrets: values retune needs to call other systems on a team's behalf (an inference
 * endpoint's API key, a webhook's signing secret). Written once, never read back through the API.
 */

/** The same alphabet `endpointTargetSchema.apiKeySecret` accepts, so a name can be referenced. */
export const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, "1-100 characters: letters, digits, _ . - only");

/** Names retune manages itself (webhook signing secrets); the secrets API refuses to write them. */
export const RESERVED_SECRET_PREFIX = "webhook-";

export const putSecretBodySchema = z.object({
  value: z.string().min(1, "required").max(8_192),
});
export type PutSecretBody = z.infer<typeof putSecretBodySchema>;

/** What the API shows of a secret: never its value. */
export const secretSchema = z.object({
  name: z.string(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type Secret = z.infer<typeof secretSchema>;
