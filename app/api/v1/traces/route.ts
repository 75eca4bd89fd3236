import { tracesQuerySchema } from "@/lib/schemas/traces";
import { teamRoute } from "@/lib/server/core/http";
import { ingestTraces, listTraces } from "@/lib/server/telemetry/traces";

/**
 * 202 `{ accepted, duplicates }`; a batch with any invalid trace is a 422 with per-index
 * `errors` and nothing stored. Body: `{ traces: [...] }`, one trace, or NDJSON; gzip accepted.
 */
export const POST = teamRoute("telemetry.write", (p, req) => ingestTraces(p, req));

/** Newest first; `nextCursor` fetches the next page. */
export const GET = teamRoute("team.read", async (p, req) =>
  listTraces(p, tracesQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams))),
);
