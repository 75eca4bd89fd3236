/**
 * Production traces (POST/GET /api/v1/traces): opted-in full interactions, the raw material of
 * retraining datasets. Bodies live in the artifact store (./trace-store.ts), one JSONL file per
 * ingest batch; a Trace row per trace indexes it for filters and points at its bytes.
 */
import { v7 as uuidv7 } from "uuid";
import type { z } from "zod";
import type { BatchError, batchRefusedSchema } from "@/lib/schemas/telemetry";
import { TELEMETRY_MAX_BYTES } from "@/lib/schemas/telemetry";
import {
  TRACE_MAX_BATCH,
  traceInputSchema,
  type TraceInput,
  type tracesAcceptedSchema,
} from "@/lib/schemas/traces";
import { authorize } from "@/lib/server/core/authorize";
import { readBatchBody } from "@/lib/server/core/batch-body";
import { sql } from "@/lib/server/core/db";
import { resolveModelRefs } from "./model-refs";
import type { Principal } from "@/lib/server/core/principal";
import { removeTraceFile, type StoredTrace, writeTraceFile } from "./trace-store";

export { readTraceBodies, type StoredTrace, type TraceLocation } from "./trace-store";
export { getTrace, listTraces } from "./trace-queries";

export type IngestTracesResult =
  | { status: 202; body: z.infer<typeof tracesAcceptedSchema> }
  | { status: 422; body: z.infer<typeof batchRefusedSchema> };

/** A refused batch lists at most this many problems; the message still counts them all. */
const MAX_REPORTED_ERRORS = 200;

/**
 * Validates a whole batch before storing any of it: one invalid trace (or an unknown Model)
 * refuses the batch with per-index errors and stores nothing, so a client can fix and resend
 * it as is. A trace id already stored (a retrying client) is counted as a duplicate, not stored
 * again.
 */
export async function ingestTraces(p: Principal, req: Request): Promise<IngestTracesResult> {
  authorize(p, "telemetry.write");
  const body = await readBatchBody(req, {
    key: "traces",
    maxBytes: TELEMETRY_MAX_BYTES,
    maxItems: TRACE_MAX_BATCH,
    allowSingle: true,
  });
  return ingestTraceItems(p, body);
}

/**
 * A batch already read (at most TRACE_MAX_BATCH items; `errors` are the reader's, by index):
 * the route's path after the body, also taken by OTLP ingestion and log imports, which map their
 * input to trace items first.
 */
export async function ingestTraceItems(
  p: Principal,
  body: { items: unknown[]; errors?: BatchError[] },
): Promise<IngestTracesResult> {
  authorize(p, "telemetry.write");
  const errors: BatchError[] = [...(body.errors ?? [])];
  const broken = new Set(errors.map((e) => e.index));
  const valid: { index: number; trace: TraceInput }[] = [];
  body.items.forEach((item, index) => {
    if (broken.has(index)) return;
    const parsed = traceInputSchema.safeParse(item);
    if (parsed.success) valid.push({ index, trace: parsed.data });
    else errors.push(...issuesOf(index, parsed.error));
  });

  // Every item's `model` is checked, valid or not, so one response lists all that needs fixing.
  const refs = new Map<number, string>();
  body.items.forEach((item, index) => {
    const ref = (item as { model?: unknown } | null)?.model;
    if (typeof ref === "string" && ref) refs.set(index, ref);
  });
  const models = await resolveModelRefs(p.teamId, refs.values());
  for (const [index, ref] of refs) {
    if (!models.has(ref))
      errors.push({
        index,
        field: "model",
        message: `no Model named or with id "${ref}" in this team`,
      });
  }
  if (errors.length > 0) return refused(errors, body.items.length);

  const seen = new Set<string>();
  const fresh: StoredTrace[] = [];
  for (const { trace } of valid) {
    const stored = normalize(trace, models.get(trace.model)!.id);
    if (seen.has(stored.traceId)) continue;
    seen.add(stored.traceId);
    fresh.push(stored);
  }
  const known = await existingIds(
    p.teamId,
    fresh.map((t) => t.traceId),
  );
  const toStore = fresh.filter((t) => !known.has(t.traceId));
  const accepted = toStore.length > 0 ? await store(p.teamId, toStore) : 0;
  return { status: 202, body: { accepted, duplicates: valid.length - accepted } };
}

function issuesOf(index: number, error: z.ZodError): BatchError[] {
  return error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({
          index,
          field: [...i.path, k].join("."),
          message: `unknown field "${k}"`,
        }))
      : [{ index, field: i.path.join(".") || "(trace)", message: i.message }],
  );
}

function refused(errors: BatchError[], total: number): IngestTracesResult {
  const bad = new Set(errors.map((e) => e.index)).size;
  errors.sort((a, b) => a.index - b.index);
  const first = errors[0]!;
  return {
    status: 422,
    body: {
      error: {
        code: "invalid_batch",
        message:
          `${bad} of ${total} trace${total === 1 ? "" : "s"} invalid, nothing was stored; ` +
          `first: [${first.index}] ${first.field}: ${first.message}`,
      },
      errors: errors.slice(0, MAX_REPORTED_ERRORS),
    },
  };
}

function normalize(t: TraceInput, modelId: string): StoredTrace {
  return {
    traceId: t.id ?? uuidv7(),
    timestamp: new Date(t.timestamp).toISOString(),
    model: modelId,
    messages: t.messages,
    tools: t.tools ?? null,
    outcome: t.outcome,
    correctedBy: t.correctedBy ?? null,
    originalMessages: t.originalMessages ?? null,
    metadata: t.metadata ?? null,
  };
}

/** Distinct names of the functions the assistant called, in first-call order. */
export function toolsCalled(messages: StoredTrace["messages"]): string[] {
  const names = new Set<string>();
  for (const m of messages) {
    if (m.role !== "assistant") continue;
    for (const call of m.tool_calls ?? []) names.add(call.function.name);
  }
  return [...names];
}

async function existingIds(teamId: string, traceIds: string[]): Promise<Set<string>> {
  const { rows } = await sql().query<{ traceId: string }>(
    `SELECT "traceId" FROM "Trace" WHERE "teamId" = $1 AND "traceId" = ANY($2::text[])`,
    [teamId, traceIds],
  );
  return new Set(rows.map((r) => r.traceId));
}

/** Per-row parameters of the multi-row insert; teamId, storageUri and createdAt are shared. */
const ROW_PARAMS = 11;

/**
 * Writes the file, then its index rows in one statement. ON CONFLICT covers a concurrent batch
 * with the same ids; their lines stay in the file unreferenced, which costs bytes, not
 * correctness. A file no row points to is removed.
 */
async function store(teamId: string, traces: StoredTrace[]): Promise<number> {
  const locations = await writeTraceFile(teamId, traces);
  const storageUri = locations[0]!.storageUri;
  const params: unknown[] = [teamId, storageUri, new Date().toISOString()];
  const values = traces.map((t, i) => {
    const loc = locations[i]!;
    params.push(
      uuidv7(),
      t.model,
      t.traceId,
      t.timestamp,
      t.outcome,
      t.correctedBy,
      loc.offset.toString(),
      loc.length,
      t.messages.length,
      toolsCalled(t.messages),
      t.metadata === null ? null : JSON.stringify(t.metadata),
    );
    const $ = (k: number) => `$${4 + i * ROW_PARAMS + k}`;
    return `(${$(0)}, $1, ${$(1)}, ${$(2)}, ${$(3)}::timestamp, ${$(4)}, ${$(5)}, $2,
      ${$(6)}::bigint, ${$(7)}::int, ${$(8)}::int, ${$(9)}::text[], ${$(10)}::jsonb, $3::timestamp)`;
  });
  let inserted: number;
  try {
    const res = await sql().query(
      `INSERT INTO "Trace" (id, "teamId", "modelId", "traceId", "timestamp", outcome, "correctedBy",
         "storageUri", "offset", length, "messageCount", "toolsCalled", metadata, "createdAt")
       VALUES ${values.join(",\n")}
       ON CONFLICT ("teamId", "traceId") DO NOTHING`,
      params,
    );
    inserted = res.rowCount ?? 0;
  } catch (e) {
    await removeTraceFile(storageUri).catch(() => {});
    throw e;
  }
  if (inserted === 0) await removeTraceFile(storageUri).catch(() => {});
  return inserted;
}
