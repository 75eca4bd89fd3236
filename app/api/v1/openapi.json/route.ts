import { publicRoute } from "@/lib/server/core/http";
import { openApiDocument } from "@/lib/server/openapi/document";

let text: string | undefined;

/** Public: the document describes the API, not a team's data; it changes only with a deploy. */
export const GET = publicRoute(async () => {
  text ??= JSON.stringify(openApiDocument());
  return new Response(text, {
    headers: {
      "content-type": "application/json",
      "cache-control": "public, max-age=300, stale-while-revalidate=3600",
    },
  });
});
