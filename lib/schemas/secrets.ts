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

/**
 * An origin a secret may be sent to: scheme, host and port only (`https://api.openai.com`,
 * `http://vllm.internal:8000`), normalized the way `new URL(…).origin` writes it.
 */
export const secretOriginSchema = z
  .string()
  .trim()
  .superRefine((raw, ctx) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: `"${raw}" is not a URL; write an origin such as https://api.openai.com`,
      });
      return;
    }
    const extra = u.username || u.password || u.search || u.hash || u.pathname !== "/";
    if (u.protocol !== "https:" && u.protocol !== "http:")
      ctx.addIssue({ code: "custom", message: `"${raw}" is not an http(s) origin` });
    else if (extra)
      ctx.addIssue({
        code: "custom",
        message: `"${raw}" is more than an origin; write scheme://host[:port] only (${u.origin})`,
      });
  })
  .transform((raw) => new URL(raw).origin);

export const MAX_SECRET_ORIGINS = 20;

/**
 * PUT /secrets/{name}. `value` is required for a new secret and replaces the old one otherwise;
 * `allowedOrigins` (omitted: unchanged, none for a new secret) lists the origins the secret may
 * be sent to as an inference endpoint's API key. A secret with no origins is sent nowhere.
 */
export const putSecretBodySchema = z.strictObject({
  value: z.string().min(1, "required").max(8_192).optional(),
  allowedOrigins: z.array(secretOriginSchema).max(MAX_SECRET_ORIGINS).optional(),
});
export type PutSecretBody = z.input<typeof putSecretBodySchema>;

/** What the API shows of a secret: never its value. */
export const secretSchema = z.object({
  name: z.string(),
  /** Where the secret may be sent; empty: nowhere. */
  allowedOrigins: z.array(z.string()),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type Secret = z.infer<typeof secretSchema>;
