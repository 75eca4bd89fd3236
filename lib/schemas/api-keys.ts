import { z } from "zod";
import { isoDateSchema } from "./common";
import { apiKeyScopeSchema } from "./roles";

export const createApiKeyBodySchema = z.strictObject({
  name: z.string().trim().min(1, "required").max(80),
  scopes: z
    .array(apiKeyScopeSchema)
    .min(1, "choose at least one scope")
    .transform((s) => [...new Set(s)]),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBodySchema>;

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  createdAt: isoDateSchema,
  lastUsedAt: isoDateSchema.nullable(),
  revokedAt: isoDateSchema.nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** Returned once, at creation: only a hash of `key` is stored. */
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
