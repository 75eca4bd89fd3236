import { z } from "zod";
import { apiErrorSchema } from "@/lib/schemas/common";
import { TELEMETRY_MAX_BYTES } from "@/lib/schemas/telemetry";
import {
  TRACE_IMPORT_MAX_LINES,
  traceImportQuerySchema,
  traceImportRefusedSchema,
  traceImportResultSchema,
} from "@/lib/schemas/trace-import";
import type { Operation } from "./spec";

/** Traces from an OpenAI-style chat-completion log (lib/server/telemetry/trace-import.ts). */
export const traceImportOperations: Operation[] = [
  {
    id: "importChatLog",
    method: "post",
    path: "/api/v1/traces/import",
    tag: "Traces",
    summary: "Import an OpenAI-style chat-completion log (JSONL) as traces of one Model",
    description: `Each line a chat-completion request with its response, as gateways and SDK loggers write them (OpenAI Batch API input and output lines too). Importing the same log again stores nothing twice. Without \`skipInvalid=true\` a log with any line that cannot be imported is refused whole; with it, the other lines are imported and the refused ones listed in \`skipped\`. At most ${TRACE_IMPORT_MAX_LINES.toLocaleString("en-US")} lines.`,
    auth: { action: "telemetry.write" },
    query: traceImportQuerySchema,
    headers: { "Content-Encoding": { description: "`gzip` for a compressed body." } },
    body: {
      description: `The log's bytes, one JSON object per line, gzip or not; at most ${TELEMETRY_MAX_BYTES / 1024 / 1024} MiB once decompressed.`,
      content: { "application/x-ndjson": "text", "application/gzip": "binary" },
    },
    responses: { 202: traceImportResultSchema },
    errors: {
      400: "Empty body, or broken gzip.",
      413: "Over the size limit, or too many lines.",
      422: {
        description:
          "A line cannot be imported (nothing stored; `errors` lists the lines), the Model is unknown, or a query parameter is invalid.",
        content: { "application/json": z.union([traceImportRefusedSchema, apiErrorSchema]) },
      },
    },
  },
];
