import { z } from "zod";

export const idSchema = z.string().min(1).max(64);

/** Every error the API returns has this shape; `issues` names the field for validation errors. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const isoDateSchema = z.iso.datetime();

/** What a DELETE answers: the id (or, for a secret, the name) of what it removed. */
export const deletedSchema = z.object({ deleted: z.string() });
export type Deleted = z.infer<typeof deletedSchema>;

/**
 * A Model's name, however the Model comes to exist (POST /models, or a launch naming a new one):
 * plain text only, since names land in model cards (Markdown) and pages.
 */
export const modelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w .:/()-]+$/, "letters, digits, spaces and . _ - : / ( ) only");
