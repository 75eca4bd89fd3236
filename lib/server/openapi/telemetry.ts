import { z } from "zod";
import { telemetryBatchBodySchema, tracesBatchBodySchema } from "@/lib/schemas/batch-bodies";
import { apiErrorSchema } from "@/lib/schemas/common";
import {
  batchRefusedSchema,
  TELEMETRY_MAX_BYTES,
  telemetryAcceptedSchema,
  telemetryStorageSchema,
  telemetrySummaryQuerySchema,
  telemetrySummarySchema,
} from "@/lib/schemas/telemetry";
import {
  traceDetailSchema,
  tracesAcceptedSchema,
  tracesPageSchema,
  tracesQuerySchema,
} from "@/lib/schemas/traces";
import type { Body, Header, Operation, Reply } from "./spec";

const MB = TELEMETRY_MAX_BYTES / 1024 / 1024;

/** A batch body: JSON, or the same items as NDJSON lines; either may be gzip-compressed. */
const batchBody = (json: z.ZodType, what: string): Body => ({
  description: `${what} as JSON, or one item per line as NDJSON; gzip-compressed or not. At most ${MB} MiB once decompressed.`,
  content: {
    "application/json": json,
    "application/x-ndjson": "text",
    "application/gzip": "binary",
  },
});

const contentEncoding: Record<string, Header> = {
  "Content-Encoding": {
    description: "`gzip` for a compressed body (gzip bytes are recognised under any type too).",
  },
};

/** A refused batch names every bad item; other 422s (nesting too deep) are the plain error. */
const batchRefused: Reply = {
  description:
    "The batch is refused whole, nothing stored: `errors` lists each bad item by its index and field.",
  content: { "application/json": z.union([batchRefusedSchema, apiErrorSchema]) },
};

const batchErrors = {
  400: "Empty or malformed body (not JSON, broken gzip).",
  413: `Over ${MB} MiB once decompressed, or too many items.`,
  422: batchRefused,
} as const;

/** Telemetry ingest and reads, and traces (lib/server/telemetry). */
export const telemetryOperations: Operation[] = [
  {
    id: "ingestTelemetry",
    method: "post",
    path: "/api/v1/telemetry",
    tag: "Telemetry",
    summary: "Send a batch of production telemetry events",
    description:
      "One event per invocation of a fine-tuned component, for a Model of the key's team. An event sent again (same `id` and `timestamp`) counts as a duplicate, not stored twice.",
    auth: { action: "telemetry.write" },
    headers: contentEncoding,
    body: batchBody(telemetryBatchBodySchema, "`{ events: [...] }` (or a bare array)"),
    responses: { 202: telemetryAcceptedSchema },
    errors: batchErrors,
  },
  {
    id: "getTelemetrySummary",
    method: "get",
    path: "/api/v1/telemetry/summary",
    tag: "Telemetry",
    summary: "A Model's rates, latency, cost and mix over a window, with a series",
    description: "`window`: a duration such as `15m`, `24h`, `7d` (1m–90d, default 24h).",
    auth: { action: "team.read" },
    query: telemetrySummaryQuerySchema,
    responses: { 200: telemetrySummarySchema },
  },
  {
    id: "getTelemetryStorage",
    method: "get",
    path: "/api/v1/telemetry/storage",
    tag: "Telemetry",
    summary: "Rows, bytes and oldest day of events, rollups and traces",
    auth: { action: "team.read" },
    responses: { 200: telemetryStorageSchema },
  },
  {
    id: "ingestTraces",
    method: "post",
    path: "/api/v1/traces",
    tag: "Traces",
    summary: "Send production traces (whole conversations)",
    description:
      "A trace id already stored counts as a duplicate. A batch with any invalid trace is refused whole.",
    auth: { action: "telemetry.write" },
    headers: contentEncoding,
    body: batchBody(tracesBatchBodySchema, "`{ traces: [...] }`, a bare array or one trace"),
    responses: { 202: tracesAcceptedSchema },
    errors: batchErrors,
  },
  {
    id: "listTraces",
    method: "get",
    path: "/api/v1/traces",
    tag: "Traces",
    summary: "Traces, newest first",
    description: "`nextCursor` of a page is the next call's `cursor`.",
    auth: { action: "team.read" },
    query: tracesQuerySchema,
    responses: { 200: tracesPageSchema },
    errors: { 400: "The cursor is not one this endpoint gave." },
  },
  {
    id: "getTrace",
    method: "get",
    path: "/api/v1/traces/{id}",
    tag: "Traces",
    summary: "One trace with its messages, tools and metadata",
    auth: { action: "team.read" },
    params: { id: "Trace id, or the client's own trace id" },
    responses: { 200: traceDetailSchema },
  },
];
