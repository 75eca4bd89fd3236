import { teamRoute } from "@/lib/server/core/http";
import { ingestOtlpTraces } from "@/lib/server/telemetry/otlp";

/**
 * OTLP/HTTP trace export (protobuf or JSON, gzip or not): 200 ExportTraceServiceResponse, with
 * partialSuccess naming rejected spans; 400 google.rpc.Status for a body that does not decode.
 */
export const POST = teamRoute("telemetry.write", ingestOtlpTraces);
