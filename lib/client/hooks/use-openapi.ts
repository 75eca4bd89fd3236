import { useQuery } from "@tanstack/react-query";
import { openApiDocumentSchema } from "@/lib/schemas/openapi";
import { apiFetch } from "../api";

/** Not under the team scope: the document is the same for every team. */
export const openApiKeys = { document: ["openapi-document"] as const };

/** GET /api/v1/openapi.json, read once a session: it changes only with a deployment. */
export function useOpenApiDocument() {
  return useQuery({
    queryKey: openApiKeys.document,
    queryFn: () => apiFetch("/api/v1/openapi.json", openApiDocumentSchema),
    staleTime: Infinity,
  });
}
