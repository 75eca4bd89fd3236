/**
 * OTLP/HTTP trace export bodies → SpanViews (lib/domain/otlp-genai.ts), from either encoding.
 * Protobuf is decoded by protobufjs with the vendored opentelemetry-proto definitions
 * (./otlp-proto, loaded from their generated JSON descriptor); JSON is parsed and checked by
 * lib/schemas/otlp.ts. Either way a body that is not a well-formed ExportTraceServiceRequest is
 * an OtlpMalformedError naming what is wrong and where, before anything is stored.
 */
import protobuf from "protobufjs";
import type { AttrValue, SpanView } from "@/lib/domain/otlp-genai";
import {
  type OtlpJsonAnyValue,
  type OtlpJsonKeyValue,
  otlpJsonTraceRequestSchema,
} from "@/lib/schemas/otlp";
import { HttpError } from "@/lib/server/core/errors";
import descriptor from "./otlp-proto/descriptor.json";

/** 400: the body is not an ExportTraceServiceRequest in the encoding its Content-Type names. */
export class OtlpMalformedError extends HttpError {
  constructor(code: "malformed_protobuf" | "malformed_json", message: string) {
    super(400, code, message);
  }
}

const root = protobuf.Root.fromJSON(descriptor as unknown as protobuf.INamespace);
const requestType = root.lookupType(
  "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
);
const responseType = root.lookupType(
  "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse",
);
/**
 * google.rpc.Status (googleapis google/rpc/status.proto: code = 1, message = 2, details = 3),
 * the body OTLP/HTTP asks for on a 4xx. retune sends no details, so the field is left out.
 */
const statusType = new protobuf.Type("Status")
  .add(new protobuf.Field("code", 1, "int32"))
  .add(new protobuf.Field("message", 2, "string"));
new protobuf.Root().define("google.rpc").add(statusType); // encode needs a resolved root

export function encodeExportResponse(partial?: { rejectedSpans: number; errorMessage: string }) {
  return responseType
    .encode(responseType.create(partial ? { partialSuccess: partial } : {}))
    .finish();
}

export function encodeStatus(code: number, message: string) {
  return statusType.encode(statusType.create({ code, message })).finish();
}

// ── protobuf ──

type Long = { toNumber(): number };
type PbAnyValue = {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | Long;
  doubleValue?: number;
  arrayValue?: { values: PbAnyValue[] };
  kvlistValue?: { values: PbKeyValue[] };
  bytesValue?: Uint8Array;
};
type PbKeyValue = { key: string; value?: PbAnyValue | null };
type PbSpan = {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  startTimeUnixNano: number | Long;
  endTimeUnixNano: number | Long;
  attributes: PbKeyValue[];
  events: { timeUnixNano: number | Long; name: string; attributes: PbKeyValue[] }[];
  status?: { code: number; message: string } | null;
};
type PbRequest = {
  resourceSpans: {
    resource?: { attributes: PbKeyValue[] } | null;
    scopeSpans: { spans: PbSpan[] }[];
  }[];
};

const NO_BYTES = new Uint8Array(0);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
/** Ids as hex. (protobufjs leaves an unset bytes field as its default, a plain empty array.) */
function hex(b: Uint8Array | number[]): string {
  let out = "";
  for (let i = 0; i < b.length; i++) out += HEX[b[i]!];
  return out;
}
const toNumber = (v: number | Long) => (typeof v === "number" ? v : v.toNumber());

function pbValue(v: PbAnyValue | null | undefined): AttrValue {
  if (!v?.value) return null;
  switch (v.value) {
    case "stringValue":
      return v.stringValue!;
    case "boolValue":
      return v.boolValue!;
    case "intValue":
      return toNumber(v.intValue!);
    case "doubleValue":
      return v.doubleValue!;
    case "arrayValue":
      return (v.arrayValue?.values ?? []).map(pbValue);
    case "kvlistValue":
      return Object.fromEntries(
        (v.kvlistValue?.values ?? []).map((kv) => [kv.key, pbValue(kv.value)]),
      );
    case "bytesValue":
      return Buffer.from(v.bytesValue!).toString("base64");
    default:
      return null;
  }
}

function pbAttributes(kvs: PbKeyValue[]): Map<string, AttrValue> {
  const m = new Map<string, AttrValue>();
  for (const kv of kvs) m.set(kv.key, pbValue(kv.value));
  return m;
}

function checkId(b: Uint8Array, bytes: number, where: string, optional = false) {
  if (optional && b.length === 0) return;
  if (b.length !== bytes)
    throw new OtlpMalformedError(
      "malformed_protobuf",
      `${where}: ${bytes} bytes expected, got ${b.length}`,
    );
}

export function decodeOtlpProtobuf(body: Uint8Array): SpanView[] {
  let req: PbRequest;
  try {
    req = requestType.decode(body) as unknown as PbRequest;
  } catch (e) {
    throw new OtlpMalformedError(
      "malformed_protobuf",
      `body is not a protobuf ExportTraceServiceRequest: ${(e as Error).message}`,
    );
  }
  const out: SpanView[] = [];
  req.resourceSpans.forEach((rs, r) => {
    const resource = pbAttributes(rs.resource?.attributes ?? []);
    rs.scopeSpans.forEach((ss, s) => {
      ss.spans.forEach((span, i) => {
        const at = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        // An unset bytes field reads as undefined or empty depending on how it was decoded.
        const [traceId, spanId, parentSpanId] = [span.traceId, span.spanId, span.parentSpanId].map(
          (b) => b ?? NO_BYTES,
        ) as [Uint8Array, Uint8Array, Uint8Array];
        checkId(traceId, 16, `${at}.traceId`);
        checkId(spanId, 8, `${at}.spanId`);
        checkId(parentSpanId, 8, `${at}.parentSpanId`, true);
        out.push({
          traceId: hex(traceId),
          spanId: hex(spanId),
          parentSpanId: hex(parentSpanId),
          name: span.name,
          startMs: toNumber(span.startTimeUnixNano) / 1e6,
          endMs: toNumber(span.endTimeUnixNano) / 1e6,
          attributes: pbAttributes(span.attributes),
          resource,
          events: span.events.map((e) => ({
            name: e.name,
            timeMs: toNumber(e.timeUnixNano) / 1e6,
            attributes: pbAttributes(e.attributes),
          })),
          status: { code: span.status?.code ?? 0, message: span.status?.message ?? "" },
        });
      });
    });
  });
  return out;
}

// ── JSON ──

function jsonValue(v: OtlpJsonAnyValue | undefined): AttrValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(jsonValue);
  if (v.kvlistValue !== undefined)
    return Object.fromEntries(
      (v.kvlistValue.values ?? []).map((kv) => [kv.key, jsonValue(kv.value)]),
    );
  if (v.bytesValue !== undefined) return v.bytesValue;
  return null;
}

function jsonAttributes(kvs: OtlpJsonKeyValue[] | undefined): Map<string, AttrValue> {
  const m = new Map<string, AttrValue>();
  for (const kv of kvs ?? []) m.set(kv.key, jsonValue(kv.value));
  return m;
}

/** Nanoseconds as a decimal string or number → epoch milliseconds. */
const nanosToMs = (v: number | string | undefined) => Number(v ?? 0) / 1e6;

export function decodeOtlpJson(body: Uint8Array): SpanView[] {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  let value: unknown;
  try {
    value = text.trim() ? JSON.parse(text) : {};
  } catch (e) {
    throw new OtlpMalformedError("malformed_json", `body is not JSON: ${(e as Error).message}`);
  }
  const parsed = otlpJsonTraceRequestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const more =
      parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
    throw new OtlpMalformedError(
      "malformed_json",
      `not an OTLP/JSON ExportTraceServiceRequest: ${issue.path.join(".") || "(body)"}: ${issue.message}${more}`,
    );
  }
  const out: SpanView[] = [];
  for (const rs of parsed.data.resourceSpans ?? []) {
    const resource = jsonAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        out.push({
          traceId: span.traceId.toLowerCase(),
          spanId: span.spanId.toLowerCase(),
          parentSpanId: (span.parentSpanId ?? "").toLowerCase(),
          name: span.name ?? "",
          startMs: nanosToMs(span.startTimeUnixNano),
          endMs: nanosToMs(span.endTimeUnixNano),
          attributes: jsonAttributes(span.attributes),
          resource,
          events: (span.events ?? []).map((e) => ({
            name: e.name ?? "",
            timeMs: nanosToMs(e.timeUnixNano),
            attributes: jsonAttributes(e.attributes),
          })),
          status: { code: span.status?.code ?? 0, message: span.status?.message ?? "" },
        });
      }
    }
  }
  return out;
}
