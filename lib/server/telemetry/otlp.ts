/**
 * OpenTelemetry ingestion (POST /api/v1/otlp/v1/traces, OTLP/HTTP; docs/architecture.md,
 * "OpenTelemetry ingestion"). An agent already exporting spans that follow the GenAI semantic
 * conventions points one more exporter here: each model-call span becomes a telemetry event of
 * the retune Model it names, and its conversation, when the span recorded one, a trace.
 *
 * The events and traces go through the same paths as POST /telemetry and POST /traces
 * (ingest.ts ingestTelemetryEvents, traces.ts ingestTraceItems): this file only reads the body,
 * maps spans (lib/domain/otlp-genai.ts) and decides which spans it can take. Those two paths
 * refuse a batch whole when any item is invalid, while OTLP expects a receiver to keep what it
 * can and count the rest as rejected (partial_success), so every check that could refuse a
 * batch (Model, version, schema, clock) runs here first, per span, and only spans that pass
 * reach them.
 *
 * Answers follow OTLP/HTTP: 200 with an ExportTraceServiceResponse in the request's encoding;
 * a body that does not decode is a 400 with a google.rpc.Status naming what is wrong, and
 * nothing is stored.
 */
import { type GenAiCall, mapGenAiSpans, type SpanView } from "@/lib/domain/otlp-genai";
import {
  OTLP_DEFAULT_ESCALATED_ATTRIBUTE,
  OTLP_DEFAULT_MODEL_ATTRIBUTE,
  OTLP_ESCALATED_ATTRIBUTE_HEADER,
  OTLP_MAX_SPANS,
  OTLP_MODEL_ATTRIBUTE_HEADER,
  type OtlpExportResponse,
  type OtlpStatus,
} from "@/lib/schemas/otlp";
import { TELEMETRY_MAX_BYTES, telemetryEventSchema } from "@/lib/schemas/telemetry";
import { TRACE_MAX_BATCH, traceInputSchema } from "@/lib/schemas/traces";
import { authorize } from "@/lib/server/core/authorize";
import { sql } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import { fastAcceptor } from "@/lib/server/core/fast-accept";
import type { Principal } from "@/lib/server/core/principal";
import { readBodyBytes } from "@/lib/server/core/body-bytes";
import { ingestTelemetryEvents } from "./ingest";
import { resolveModelRefs } from "./model-refs";
import {
  decodeOtlpJson,
  decodeOtlpProtobuf,
  encodeExportResponse,
  encodeStatus,
} from "./otlp-decode";
import { ingestTraceItems } from "./traces";

type Encoding = "protobuf" | "json";
const ENCODINGS: Record<string, Encoding> = {
  "application/x-protobuf": "protobuf",
  "application/json": "json",
};
const CONTENT_TYPE: Record<Encoding, string> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};
/** Clocks drift, but a span starting more than a day ahead is a producer bug (as in ingest.ts). */
const MAX_FUTURE_MS = 86_400_000;
/** The event schema compiled by ajv (as ingest.ts does); zod words what it declines. */
const acceptEvent = fastAcceptor(telemetryEventSchema);

export type OtlpOptions = { modelAttribute: string; escalatedAttribute: string };

export type OtlpResult = {
  spans: number;
  /** Model-call spans: the ones that become events. */
  calls: number;
  accepted: number;
  duplicates: number;
  traces: number;
  rejected: { index: number; reason: string }[];
  warnings: string[];
};

function optionsFrom(headers: Headers): OtlpOptions {
  const pick = (name: string, fallback: string) => {
    const v = headers.get(name)?.trim();
    return v && v.length <= 200 ? v : fallback;
  };
  return {
    modelAttribute: pick(OTLP_MODEL_ATTRIBUTE_HEADER, OTLP_DEFAULT_MODEL_ATTRIBUTE),
    escalatedAttribute: pick(OTLP_ESCALATED_ATTRIBUTE_HEADER, OTLP_DEFAULT_ESCALATED_ATTRIBUTE),
  };
}

/** POST /api/v1/otlp/v1/traces: the whole exchange, answered in the request's encoding. */
export async function ingestOtlpTraces(p: Principal, req: Request): Promise<Response> {
  authorize(p, "telemetry.write");
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const encoding = ENCODINGS[type];
  if (!encoding)
    return statusResponse(
      "json",
      new HttpError(
        415,
        "unsupported_media_type",
        `Content-Type ${type || "(none)"} is not OTLP/HTTP: send application/x-protobuf or application/json`,
      ),
    );
  try {
    const body = await readBodyBytes(req, TELEMETRY_MAX_BYTES, "OTLP body");
    const spans = encoding === "protobuf" ? decodeOtlpProtobuf(body) : decodeOtlpJson(body);
    if (spans.length > OTLP_MAX_SPANS)
      throw new HttpError(
        413,
        "too_many_spans",
        `${spans.length} spans in one export; at most ${OTLP_MAX_SPANS} (lower the exporter's batch size)`,
      );
    const result = await storeOtlpSpans(p, spans, optionsFrom(req.headers));
    return exportResponse(encoding, result);
  } catch (e) {
    if (e instanceof HttpError) return statusResponse(encoding, e);
    throw e;
  }
}

/** Maps, checks and stores a request's spans; what was rejected and why. */
export async function storeOtlpSpans(
  p: Principal,
  spans: SpanView[],
  opts: OtlpOptions,
): Promise<OtlpResult> {
  authorize(p, "telemetry.write");
  const calls = mapGenAiSpans(spans, opts);
  const rejected: OtlpResult["rejected"] = [];
  const warnings: string[] = [];
  const reject = (c: GenAiCall, reason: string) => rejected.push({ index: c.index, reason });

  const models = await resolveModelRefs(
    p.teamId,
    calls.flatMap((c) => c.modelRefs),
  );
  const latest = Date.now() + MAX_FUTURE_MS;
  type Ready = { call: GenAiCall; modelId: string; modelName: string };
  let ready: Ready[] = [];
  for (const call of calls) {
    const ref = call.modelRefs.find((r) => models.has(r));
    if (!ref) {
      reject(
        call,
        call.modelRefs.length === 0
          ? `names no Model: set the span or resource attribute ${opts.modelAttribute} to a Model's name or id`
          : `no Model named or with id ${call.modelRefs.map((r) => `"${r}"`).join(" or ")} in this team (${
              call.modelFrom === "attribute"
                ? `from ${opts.modelAttribute}`
                : `from gen_ai.request.model; set ${opts.modelAttribute} to name the Model`
            })`,
      );
      continue;
    }
    const model = models.get(ref)!;
    const event = { ...call.event, model: model.id };
    if (!acceptEvent(event)) {
      const checked = telemetryEventSchema.safeParse(event);
      if (!checked.success) {
        const i = checked.error.issues[0]!;
        reject(call, `${i.path.join(".") || "(span)"}: ${i.message}`);
        continue;
      }
    }
    if (Date.parse(call.event.timestamp) > latest) {
      reject(call, "starts more than a day in the future; check the producer's clock");
      continue;
    }
    ready.push({ call, modelId: model.id, modelName: model.name });
  }
  ready = await knownVersionsOnly(p.teamId, ready, reject);

  const { accepted, duplicates } = await ingestTelemetryEvents(
    p,
    ready.map((r) => ({ ...r.call.event, model: r.modelId })),
  );

  // Conversations: a span's messages that do not make a valid trace leave its event stored.
  const traces: unknown[] = [];
  const unkept = new Map<string, number>();
  for (const r of ready) {
    if (!r.call.trace) continue;
    const item = { ...r.call.trace, model: r.modelId };
    const checked = traceInputSchema.safeParse(item);
    if (checked.success) traces.push(item);
    else {
      const i = checked.error.issues[0]!;
      const why = `${i.path.join(".") || "(trace)"}: ${i.message}`;
      unkept.set(why, (unkept.get(why) ?? 0) + 1);
    }
  }
  let stored = 0;
  for (let i = 0; i < traces.length; i += TRACE_MAX_BATCH) {
    const res = await ingestTraceItems(p, { items: traces.slice(i, i + TRACE_MAX_BATCH) });
    if (res.status === 202) stored += res.body.accepted;
    else unkept.set(res.body.error.message, TRACE_MAX_BATCH);
  }
  if (unkept.size)
    warnings.push(
      `conversations not kept as traces (their events were stored): ${summarize(unkept)}`,
    );
  if (spans.length > 0 && calls.length === 0)
    warnings.push(
      `none of the ${spans.length} spans is a GenAI model call (gen_ai.operation.name chat, text_completion or generate_content): nothing was stored`,
    );
  return {
    spans: spans.length,
    calls: calls.length,
    accepted,
    duplicates,
    traces: stored,
    rejected,
    warnings,
  };
}

/** Drops (rejecting) the calls whose `retune.model.version` their Model does not have. */
async function knownVersionsOnly<T extends { call: GenAiCall; modelId: string; modelName: string }>(
  teamId: string,
  ready: T[],
  reject: (c: GenAiCall, reason: string) => void,
): Promise<T[]> {
  const asked = ready.filter((r) => r.call.event.version !== undefined);
  if (asked.length === 0) return ready;
  const { rows } = await sql().query<{ modelId: string; version: number }>(
    `SELECT "modelId", version FROM "ModelVersion"
      WHERE "teamId" = $1 AND ("modelId", version) IN (SELECT * FROM unnest($2::text[], $3::int[]))`,
    [teamId, asked.map((r) => r.modelId), asked.map((r) => r.call.event.version!)],
  );
  const known = new Set(rows.map((r) => `${r.modelId}\u0000${r.version}`));
  return ready.filter((r) => {
    const v = r.call.event.version;
    if (v === undefined || known.has(`${r.modelId}\u0000${v}`)) return true;
    reject(r.call, `Model "${r.modelName}" has no version ${v} (retune.model.version)`);
    return false;
  });
}

/** "3 × why; 1 × other", most frequent first, within a readable length. */
function summarize(counts: Map<string, number>): string {
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} × ${why}`);
  const text = parts.join("; ");
  return text.length > 1_000 ? `${text.slice(0, 1_000)}…` : text;
}

/** The OTLP answer for what was stored: a partial success names what was rejected and why. */
export function exportBody(result: OtlpResult): OtlpExportResponse {
  const reasons = new Map<string, number>();
  for (const r of result.rejected) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  const messages = [
    ...(result.rejected.length
      ? [`${result.rejected.length} of ${result.calls} GenAI spans rejected: ${summarize(reasons)}`]
      : []),
    ...result.warnings,
  ];
  if (messages.length === 0) return {};
  return {
    partialSuccess: {
      rejectedSpans: String(result.rejected.length),
      errorMessage: messages.join(". "),
    },
  };
}

function exportResponse(encoding: Encoding, result: OtlpResult): Response {
  const body = exportBody(result);
  const bytes =
    encoding === "json"
      ? JSON.stringify(body)
      : encodeExportResponse(
          body.partialSuccess
            ? {
                rejectedSpans: Number(body.partialSuccess.rejectedSpans),
                errorMessage: body.partialSuccess.errorMessage,
              }
            : undefined,
        );
  return new Response(bytes as BodyInit, {
    status: 200,
    headers: { "content-type": CONTENT_TYPE[encoding], "cache-control": "no-store" },
  });
}

/** google.rpc.Code for an HTTP status (OTLP clients log it; they act on the HTTP status). */
const RPC_CODE: Record<number, number> = { 400: 3, 413: 8, 415: 3 };

function statusResponse(encoding: Encoding, e: HttpError): Response {
  const code = RPC_CODE[e.status] ?? 2;
  const body =
    encoding === "json"
      ? JSON.stringify({
          code,
          message: e.message,
          error: { code: e.code, message: e.message },
        } satisfies OtlpStatus)
      : encodeStatus(code, e.message);
  return new Response(body as BodyInit, {
    status: e.status,
    headers: { "content-type": CONTENT_TYPE[encoding], "cache-control": "no-store" },
  });
}
