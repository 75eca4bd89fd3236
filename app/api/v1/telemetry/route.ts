import { teamRoute } from "@/lib/server/core/http";
import { telemetryBatchResponse } from "@/lib/server/telemetry/ingest";

/** JSON `{ events: [...] }` or NDJSON, gzip or not; 202 `{ accepted, duplicates }`. */
export const POST = teamRoute("telemetry.write", telemetryBatchResponse);
