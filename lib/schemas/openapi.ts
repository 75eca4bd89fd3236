import { z } from "zod";

/**
 * GET /api/v1/openapi.json: the OpenAPI 3.1 document of the API (built by
 * lib/server/openapi/document.ts). Only its frame is checked here; the OpenAPI 3.1 schema
 * itself judges the rest (lib/server/openapi/document.test.ts).
 */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\./),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({}).optional(),
});
export type OpenApiDocumentJson = z.infer<typeof openApiDocumentSchema>;
