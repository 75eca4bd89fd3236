import { z } from "zod";

/**
 * POST /api/v1/traces/import?model=<Model name or id>: a JSONL log of chat-completion requests
 * and responses (gateway and SDK logs, OpenAI Batch API input and output lines) imported as
 * traces of one Model. lib/domain/chat-log.ts lists the line shapes it reads. The body may be
 * gzip. Without `skipInvalid=true` a log with any line that cannot be imported is refused whole
 * (422, per-line errors, nothing stored), like POST /traces; with it the other lines are
 * imported and the refused ones listed in `skipped`.
 */
export const TRACE_IMPORT_MAX_LINES = 10_000;

export const traceImportQuerySchema = z.object({
  model: z.string().min(1).max(200),
  skipInvalid: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});
export type TraceImportQuery = z.input<typeof traceImportQuerySchema>;

/** A line of the log that cannot become a trace; `line` counts from 1, as editors do. */
export const traceImportLineErrorSchema = z.object({
  line: z.number().int(),
  message: z.string(),
});
export type TraceImportLineError = z.infer<typeof traceImportLineErrorSchema>;

/** 202. `duplicates`: traces whose id (the completion's id, else the line's hash) was stored. */
export const traceImportResultSchema = z.object({
  lines: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  skipped: z.array(traceImportLineErrorSchema),
});
export type TraceImportResult = z.infer<typeof traceImportResultSchema>;

/** 422: nothing stored; at most 200 line errors listed, the message counts them all. */
export const traceImportRefusedSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
  errors: z.array(traceImportLineErrorSchema),
});
export type TraceImportRefused = z.infer<typeof traceImportRefusedSchema>;
