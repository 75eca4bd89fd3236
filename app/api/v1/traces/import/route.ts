import { teamRoute } from "@/lib/server/core/http";
import { importChatLog } from "@/lib/server/telemetry/trace-import";

/**
 * `?model=<Model name or id>[&skipInvalid=true]`, body: JSONL of chat-completion requests and
 * responses (gzip accepted). 202 `{ lines, accepted, duplicates, skipped }`; 422 with per-line
 * `errors` and nothing stored when a line cannot be imported (unless skipInvalid).
 */
export const POST = teamRoute("telemetry.write", importChatLog);
