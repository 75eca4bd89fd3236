import {
  OTLP_DEFAULT_ESCALATED_ATTRIBUTE,
  OTLP_DEFAULT_MODEL_ATTRIBUTE,
  OTLP_ESCALATED_ATTRIBUTE_HEADER,
  OTLP_MAX_SPANS,
  OTLP_MODEL_ATTRIBUTE_HEADER,
  otlpExportResponseSchema,
  otlpJsonTraceRequestSchema,
  otlpStatusSchema,
} from "@/lib/schemas/otlp";
import { TELEMETRY_MAX_BYTES } from "@/lib/schemas/telemetry";
import type { Operation, Reply } from "./spec";

/** OTLP/HTTP answers a refused body with a google.rpc.Status in the request's encoding. */
const status = (description: string): Reply => ({
  description,
  content: { "application/json": otlpStatusSchema, "application/x-protobuf": "binary" },
});

/** OpenTelemetry ingestion (lib/server/telemetry/otlp.ts). */
export const otlpOperations: Operation[] = [
  {
    id: "ingestOtlpTraces",
    method: "post",
    path: "/api/v1/otlp/v1/traces",
    tag: "Telemetry",
    summary: "OTLP/HTTP trace export: GenAI spans become telemetry events and traces",
    description: `Point an OpenTelemetry exporter's traces endpoint here with an API key. Spans that follow the GenAI semantic conventions (model, token usage, tool calls, latency, errors) are stored as telemetry events and traces of the Model they name: the attribute \`${OTLP_DEFAULT_MODEL_ATTRIBUTE}\` (or the one \`${OTLP_MODEL_ATTRIBUTE_HEADER}\` names), else the request model. At most ${OTLP_MAX_SPANS.toLocaleString("en-US")} spans per export.`,
    auth: { action: "telemetry.write" },
    headers: {
      "Content-Encoding": { description: "`gzip` or none." },
      [OTLP_MODEL_ATTRIBUTE_HEADER]: {
        description: `The span (else resource) attribute holding the retune Model's name or id; default \`${OTLP_DEFAULT_MODEL_ATTRIBUTE}\`.`,
      },
      [OTLP_ESCALATED_ATTRIBUTE_HEADER]: {
        description: `The boolean attribute that says a call was escalated; default \`${OTLP_DEFAULT_ESCALATED_ATTRIBUTE}\`.`,
      },
    },
    body: {
      description: `An ExportTraceServiceRequest, protobuf or OTLP/JSON, gzip or not; at most ${TELEMETRY_MAX_BYTES / 1024 / 1024} MiB once decompressed.`,
      content: {
        "application/x-protobuf": "binary",
        "application/json": otlpJsonTraceRequestSchema,
      },
    },
    responses: {
      200: {
        description:
          "ExportTraceServiceResponse in the request's encoding; `partialSuccess` counts the rejected spans and says why.",
        content: {
          "application/json": otlpExportResponseSchema,
          "application/x-protobuf": "binary",
        },
      },
    },
    errors: {
      400: status(
        "The body does not decode (protobuf, OTLP/JSON or gzip), naming what is wrong; nothing is stored.",
      ),
      413: status("Over the size limit once decompressed, or too many spans."),
      415: status(
        "A Content-Type other than application/x-protobuf or application/json, or an unknown Content-Encoding.",
      ),
    },
  },
];
