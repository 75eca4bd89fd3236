import { z } from "zod";

/**
 * OpenTelemetry traces in (POST /api/v1/otlp/v1/traces, OTLP/HTTP): an ExportTraceServiceRequest
 * as `application/x-protobuf` or in OTLP's JSON encoding (`application/json`), gzip or not. The
 * JSON encoding is protobuf's JSON mapping with OTLP's exceptions: keys in lowerCamelCase,
 * trace and span ids as hex (not base64), enums as integers, 64-bit integers as decimal strings
 * or numbers. Unknown keys are ignored, as the OTLP specification asks of receivers, so these
 * schemas are not strict. docs/architecture.md, "OpenTelemetry ingestion", maps the GenAI
 * attributes to telemetry events and traces.
 */

/** Spans in one export request, at most: a span becomes at most one telemetry event. */
export const OTLP_MAX_SPANS = 10_000;

/** Header naming the attribute (span, else resource) that holds the retune Model name or id. */
export const OTLP_MODEL_ATTRIBUTE_HEADER = "x-retune-model-attribute";
export const OTLP_DEFAULT_MODEL_ATTRIBUTE = "retune.model";
/** Header naming the boolean attribute (span, else resource) that says a call was escalated. */
export const OTLP_ESCALATED_ATTRIBUTE_HEADER = "x-retune-escalated-attribute";
export const OTLP_DEFAULT_ESCALATED_ATTRIBUTE = "retune.escalated";

const int64 = z.union([
  z.number().int(),
  z.string().regex(/^-?\d+$/, "expected a 64-bit integer (a decimal string or number)"),
]);
const uint64 = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/, "expected an unsigned 64-bit integer (a decimal string or number)"),
]);
const hexId = (bytes: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`),
      `expected ${bytes * 2} hex digits (OTLP/JSON ids are hex, not base64)`,
    );

export type OtlpJsonAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpJsonAnyValue[] };
  kvlistValue?: { values?: OtlpJsonKeyValue[] };
  bytesValue?: string;
};
export type OtlpJsonKeyValue = { key: string; value?: OtlpJsonAnyValue };

export const otlpJsonAnyValueSchema: z.ZodType<OtlpJsonAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]).optional(),
    arrayValue: z.object({ values: z.array(otlpJsonAnyValueSchema).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(otlpJsonKeyValueSchema).optional() }).optional(),
    /** base64, as protobuf's JSON mapping writes bytes. */
    bytesValue: z.string().optional(),
  }),
);
export const otlpJsonKeyValueSchema: z.ZodType<OtlpJsonKeyValue> = z.lazy(() =>
  z.object({ key: z.string(), value: otlpJsonAnyValueSchema.optional() }),
);

const attributes = z.array(otlpJsonKeyValueSchema).optional();

export const otlpJsonSpanSchema = z.object({
  traceId: hexId(16),
  spanId: hexId(8),
  traceState: z.string().optional(),
  /** Empty or absent for a root span. */
  parentSpanId: z.union([hexId(8), z.literal("")]).optional(),
  flags: z.number().int().nonnegative().optional(),
  name: z.string().optional(),
  kind: z.number().int().min(0).max(5).optional(),
  startTimeUnixNano: uint64.optional(),
  endTimeUnixNano: uint64.optional(),
  attributes,
  droppedAttributesCount: z.number().int().optional(),
  events: z
    .array(
      z.object({
        timeUnixNano: uint64.optional(),
        name: z.string().optional(),
        attributes,
        droppedAttributesCount: z.number().int().optional(),
      }),
    )
    .optional(),
  droppedEventsCount: z.number().int().optional(),
  links: z
    .array(z.object({ traceId: z.string().optional(), spanId: z.string().optional() }))
    .optional(),
  droppedLinksCount: z.number().int().optional(),
  status: z
    .object({
      message: z.string().optional(),
      /** 0 unset, 1 ok, 2 error. */
      code: z.number().int().min(0).max(2).optional(),
    })
    .optional(),
});

export const otlpJsonTraceRequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z
          .object({ attributes, droppedAttributesCount: z.number().int().optional() })
          .optional(),
        scopeSpans: z
          .array(
            z.object({
              scope: z
                .object({
                  name: z.string().optional(),
                  version: z.string().optional(),
                  attributes,
                })
                .optional(),
              spans: z.array(otlpJsonSpanSchema).optional(),
              schemaUrl: z.string().optional(),
            }),
          )
          .optional(),
        schemaUrl: z.string().optional(),
      }),
    )
    .optional(),
});
export type OtlpJsonTraceRequest = z.infer<typeof otlpJsonTraceRequestSchema>;

/**
 * 200: ExportTraceServiceResponse, in the request's encoding. `partialSuccess` is set when spans
 * were rejected (a GenAI span naming no Model of the team, say), with the count and why, or, with
 * `rejectedSpans` "0", to warn (no span of the request was a GenAI call). int64 is a string in
 * the JSON encoding.
 */
export const otlpExportResponseSchema = z.object({
  partialSuccess: z
    .object({
      rejectedSpans: z.string().regex(/^\d+$/),
      errorMessage: z.string(),
    })
    .optional(),
});
export type OtlpExportResponse = z.infer<typeof otlpExportResponseSchema>;

/**
 * 4xx answered by the route itself (400 malformed body, 413 too large, 415 content type): a
 * google.rpc.Status, as OTLP/HTTP asks, in the request's encoding (protobuf for protobuf
 * requests). The JSON form also carries retune's `error` object, so retune clients read it like
 * any other error. (401 and 403 come before the body is read and are retune's usual error.)
 */
export const otlpStatusSchema = z.object({
  /** google.rpc.Code: 3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED. */
  code: z.number().int(),
  message: z.string(),
  error: z.object({ code: z.string(), message: z.string() }),
});
export type OtlpStatus = z.infer<typeof otlpStatusSchema>;
