/**
 * Traces from an OpenAI-style chat-completion log (POST /api/v1/traces/import): the lines are
 * read and turned into trace items by lib/domain/chat-log.ts, checked by the trace schema, and
 * stored through traces.ts ingestTraceItems, the path of POST /traces, in batches of
 * TRACE_MAX_BATCH. A line that names no id of its own (no completion id) gets one from its
 * bytes, so importing the same log again stores nothing twice.
 */
import { createHash } from "node:crypto";
import { tracesFromChatLog, type ChatLogLine } from "@/lib/domain/chat-log";
import { TELEMETRY_MAX_BYTES } from "@/lib/schemas/telemetry";
import {
  TRACE_IMPORT_MAX_LINES,
  type TraceImportLineError,
  traceImportQuerySchema,
  type TraceImportRefused,
  type TraceImportResult,
} from "@/lib/schemas/trace-import";
import { TRACE_MAX_BATCH, traceInputSchema } from "@/lib/schemas/traces";
import { authorize } from "@/lib/server/core/authorize";
import { HttpError } from "@/lib/server/core/errors";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "@/lib/server/core/json-body";
import type { Principal } from "@/lib/server/core/principal";
import { readBodyBytes } from "@/lib/server/core/body-bytes";
import { resolveModelRefs } from "./model-refs";
import { ingestTraceItems } from "./traces";

const MAX_LISTED = 200;

export type TraceImportResponse =
  { status: 202; body: TraceImportResult } | { status: 422; body: TraceImportRefused };

export async function importChatLog(p: Principal, req: Request): Promise<TraceImportResponse> {
  authorize(p, "telemetry.write");
  const query = traceImportQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams), {
    reportInput: true,
  });
  const model = (await resolveModelRefs(p.teamId, [query.model])).get(query.model);
  if (!model)
    throw new HttpError(
      422,
      "invalid",
      `model: no Model named or with id "${query.model}" in this team`,
    );

  const text = (await readBodyBytes(req, TELEMETRY_MAX_BYTES, "log"))
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw new HttpError(422, "too_deep", `a line nests deeper than ${MAX_JSON_DEPTH} levels`);
  const raw = new Map<number, string>();
  const lines: ChatLogLine[] = [];
  const errors: TraceImportLineError[] = [];
  text.split("\n").forEach((l, i) => {
    const s = l.trim();
    if (!s) return;
    try {
      lines.push({ line: i + 1, value: JSON.parse(s) });
      raw.set(i + 1, s);
    } catch (e) {
      errors.push({ line: i + 1, message: `not JSON: ${(e as Error).message}` });
    }
  });
  if (lines.length + errors.length === 0)
    throw new HttpError(400, "empty_body", "empty log: send one JSON object per line (JSONL)");
  if (lines.length + errors.length > TRACE_IMPORT_MAX_LINES)
    throw new HttpError(
      413,
      "too_many_items",
      `${lines.length + errors.length} lines in one import; at most ${TRACE_IMPORT_MAX_LINES}`,
    );

  const mapped = tracesFromChatLog(lines, new Date());
  errors.push(...mapped.errors);
  const items: unknown[] = [];
  for (const { line, trace } of mapped.traces) {
    const id =
      trace.id ?? `log-${createHash("sha256").update(raw.get(line)!).digest("hex").slice(0, 32)}`;
    const item = { ...trace, id, model: model.id };
    const checked = traceInputSchema.safeParse(item);
    if (checked.success) items.push(item);
    else {
      const i = checked.error.issues[0]!;
      errors.push({ line, message: `${i.path.join(".") || "(trace)"}: ${i.message}` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  const total = lines.length + errors.filter((e) => !raw.has(e.line)).length;
  if (errors.length > 0 && !query.skipInvalid) {
    const bad = new Set(errors.map((e) => e.line)).size;
    const first = errors[0]!;
    return {
      status: 422,
      body: {
        error: {
          code: "invalid_log",
          message:
            `${bad} of ${total} lines cannot be imported, nothing was stored; first: line ${first.line}: ${first.message}` +
            " (fix them, or send ?skipInvalid=true to import the rest)",
        },
        errors: errors.slice(0, MAX_LISTED),
      },
    };
  }
  let accepted = 0;
  let duplicates = 0;
  for (let i = 0; i < items.length; i += TRACE_MAX_BATCH) {
    const res = await ingestTraceItems(p, { items: items.slice(i, i + TRACE_MAX_BATCH) });
    if (res.status !== 202)
      throw new Error(`trace batch refused after checking: ${res.body.error.message}`);
    accepted += res.body.accepted;
    duplicates += res.body.duplicates;
  }
  return {
    status: 202,
    body: { lines: total, accepted, duplicates, skipped: errors.slice(0, MAX_LISTED) },
  };
}
