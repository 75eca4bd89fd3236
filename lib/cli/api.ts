/**
 * Every HTTP call the CLI makes, one typed function per endpoint. JSON calls go through the
 * client generated from the OpenAPI document (lib/client/retune-client.ts): each path, its
 * parameters and body are checked against the document by the compiler. The commands keep
 * lib/schemas' types (the same zod schemas the document is generated from). Uploads and NDJSON
 * pushes, whose bodies are streams or raw text, are sent by `send` below.
 * Responses are not re-parsed here: zod would cost every command its load time, and the server
 * already answers in these shapes (the integration tests check every response against the
 * document).
 */
import { Readable } from "node:stream";
import type { z } from "zod";
import type { ApiError as ApiErrorBody } from "@/lib/schemas/common";
import type {
  CreateDatasetBody,
  Dataset,
  DatasetDetail,
  DatasetVersion,
  UploadAccepted,
  UploadQuery,
} from "@/lib/schemas/datasets";
import type { createEvalRunBodySchema, EvalRun } from "@/lib/schemas/evals";
import type { ModelCard } from "@/lib/schemas/model-cards";
import type {
  ModelDetail,
  ModelSummary,
  ModelVersionDetail,
  promoteBodySchema,
} from "@/lib/schemas/models";
import type { currentTeamSchema } from "@/lib/schemas/teams";
import type { BatchError, TelemetryAccepted } from "@/lib/schemas/telemetry";
import type {
  launchResponseSchema,
  logsResponseSchema,
  metricsResponseSchema,
  TrainingJob,
  TrainingJobAction,
  TrainingJobRequest,
} from "@/lib/schemas/training-jobs";
import { createRetuneClient } from "@/lib/client/retune-client";
import { ApiError, EXIT, type Issue } from "./errors";

export type CurrentTeam = z.infer<typeof currentTeamSchema>;
export type LaunchResponse = z.infer<typeof launchResponseSchema>;
export type MetricsResponse = z.infer<typeof metricsResponseSchema>;
export type LogsResponse = z.infer<typeof logsResponseSchema>;
export type CreateEvalRunBody = z.input<typeof createEvalRunBodySchema>;
export type PromoteBody = z.input<typeof promoteBodySchema>;

export type Connection = { url: string; apiKey: string; userAgent: string };

/** A refused telemetry or trace batch also lists its bad items (`errors`, by index). */
export class BatchRefusedError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly errors: BatchError[],
  ) {
    super(status, code, message);
  }
}

type Query = Record<string, string | number | boolean | undefined>;

type RequestOptions = {
  query?: Query;
  json?: unknown;
  body?:
    | { stream: Readable; contentType: string; length?: number }
    | { text: string; contentType: string };
  headers?: Record<string, string>;
  /** Seconds before the call is given up; none for uploads, whose length is the file's. */
  timeoutS?: number | null;
};

const JSON_TIMEOUT_S = 120;

export function connect(conn: Connection) {
  const base = `${conn.url}/api/v1`;

  async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization: `Bearer ${conn.apiKey}`,
      accept: "application/json",
      "user-agent": conn.userAgent,
      ...opts.headers,
    };
    let body: RequestInit["body"];
    let duplex: "half" | undefined;
    if (opts.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.json);
    } else if (opts.body && "text" in opts.body) {
      headers["content-type"] = opts.body.contentType;
      body = opts.body.text;
    } else if (opts.body) {
      headers["content-type"] = opts.body.contentType;
      if (opts.body.length !== undefined) headers["content-length"] = String(opts.body.length);
      body = Readable.toWeb(opts.body.stream) as ReadableStream<Uint8Array>;
      // A streamed request body: undici sends it as it is read (fetch's "half duplex").
      duplex = "half";
    }
    const timeoutS = opts.timeoutS === undefined ? JSON_TIMEOUT_S : opts.timeoutS;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body,
        ...(duplex ? { duplex } : {}),
        ...(timeoutS ? { signal: AbortSignal.timeout(timeoutS * 1000) } : {}),
      } as RequestInit);
    } catch (e) {
      throw networkError(conn.url, e);
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  async function call<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
    const res = await send(method, path, opts);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const id = (s: string) => encodeURIComponent(s);

  // The typed client sends through the same guards as `send`: a timeout, network errors named,
  // and any non-2xx answer thrown as the CLI's ApiError before openapi-fetch reads it.
  const api = createRetuneClient({
    baseUrl: conn.url,
    apiKey: conn.apiKey,
    headers: { accept: "application/json", "user-agent": conn.userAgent },
    fetch: async (req: Request) => {
      let res: Response;
      try {
        res = await fetch(req, { signal: AbortSignal.timeout(JSON_TIMEOUT_S * 1000) });
      } catch (e) {
        throw networkError(conn.url, e);
      }
      if (!res.ok) throw await errorOf(res);
      return res;
    },
  });
  /** The answer's data; a failure was thrown by the fetch above. */
  const data = async <T>(call: Promise<{ data?: unknown }>): Promise<T> => (await call).data as T;
  const path = (v: string) => ({ params: { path: { id: v } } });

  return {
    url: conn.url,

    /** The team the key acts for, and its scopes: what `login` checks a key with. */
    team: () => data<CurrentTeam>(api.GET("/api/v1/team")),

    listDatasets: (q?: string) =>
      data<Dataset[]>(api.GET("/api/v1/datasets", { params: { query: { q } } })),
    createDataset: (body: CreateDatasetBody) =>
      data<Dataset>(api.POST("/api/v1/datasets", { body })),
    getDataset: (datasetId: string) =>
      data<DatasetDetail>(api.GET("/api/v1/datasets/{id}", path(datasetId))),
    getDatasetVersion: (versionId: string) =>
      data<DatasetVersion>(api.GET("/api/v1/dataset-versions/{id}", path(versionId))),
    /** The file is the request body, streamed as it is read (`stream` counts what was sent). */
    uploadDatasetVersion: (
      datasetId: string,
      query: Partial<UploadQuery>,
      file: { stream: Readable; contentType: string; length: number },
    ) =>
      call<UploadAccepted>("POST", `/datasets/${id(datasetId)}/versions`, {
        query,
        body: file,
        timeoutS: null,
      }),

    createJob: (body: TrainingJobRequest, idempotencyKey: string) =>
      data<LaunchResponse>(
        api.POST("/api/v1/training-jobs", {
          body,
          headers: { "idempotency-key": idempotencyKey },
        }),
      ),
    getJob: (jobId: string) =>
      data<TrainingJob>(api.GET("/api/v1/training-jobs/{id}", path(jobId))),
    getMetrics: (jobId: string, query: { name?: string; afterStep?: number }) =>
      data<MetricsResponse>(
        api.GET("/api/v1/training-jobs/{id}/metrics", { params: { path: { id: jobId }, query } }),
      ),
    getLogs: (jobId: string, query: { attempt?: number; after?: number }) =>
      data<LogsResponse>(
        api.GET("/api/v1/training-jobs/{id}/logs", { params: { path: { id: jobId }, query } }),
      ),
    cancelJob: (jobId: string) =>
      data<TrainingJobAction>(api.POST("/api/v1/training-jobs/{id}/cancel", path(jobId))),
    retryJob: (jobId: string, resume: boolean) =>
      data<TrainingJobAction>(
        api.POST("/api/v1/training-jobs/{id}/retry", { ...path(jobId), body: { resume } }),
      ),

    createEvalRun: (body: CreateEvalRunBody) =>
      data<EvalRun>(api.POST("/api/v1/eval-runs", { body })),
    getEvalRun: (runId: string) => data<EvalRun>(api.GET("/api/v1/eval-runs/{id}", path(runId))),

    listModels: (q?: string) =>
      data<{ models: ModelSummary[] }>(api.GET("/api/v1/models", { params: { query: { q } } })),
    /** `ref` is a Model's id or name. */
    getModel: (ref: string) => data<ModelDetail>(api.GET("/api/v1/models/{id}", path(ref))),
    getModelVersion: (versionId: string) =>
      data<ModelVersionDetail>(api.GET("/api/v1/model-versions/{id}", path(versionId))),
    promote: (versionId: string, body: PromoteBody) =>
      data<ModelVersionDetail>(
        api.POST("/api/v1/model-versions/{id}/promote", { ...path(versionId), body }),
      ),

    getCard: (versionId: string) =>
      data<ModelCard>(api.GET("/api/v1/model-versions/{id}/card", path(versionId))),
    /** The card as Markdown with YAML front matter. */
    getCardMarkdown: async (versionId: string) =>
      (await send("GET", `/model-versions/${id(versionId)}/card.md`)).text(),

    /** One NDJSON batch (the caller keeps it within the API's limits). */
    pushTelemetry: (ndjson: string) =>
      call<TelemetryAccepted>("POST", "/telemetry", {
        body: { text: ndjson, contentType: "application/x-ndjson" },
      }),
    pushTraces: (ndjson: string) =>
      call<TelemetryAccepted>("POST", "/traces", {
        body: { text: ndjson, contentType: "application/x-ndjson" },
      }),
  };
}

export type RetuneApi = ReturnType<typeof connect>;

function networkError(url: string, e: unknown): ApiError {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError")
    return new ApiError(0, "timeout", `${url} did not answer in ${JSON_TIMEOUT_S} s`);
  const why = err.cause?.code ?? err.cause?.message ?? err.message;
  return new ApiError(0, "network", `could not reach ${url}: ${why}`);
}

/** The API's error body as an ApiError; a 409 `promotion_blocked` is a refusal (exit 3). */
async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  type Body = Partial<ApiErrorBody> & { errors?: BatchError[] };
  let body: Body | null = null;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    // Not JSON: a proxy's page or an old server. Say what came back, briefly.
  }
  const error = body?.error;
  if (!error || typeof error.message !== "string") {
    const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
    return new ApiError(
      res.status,
      `http_${res.status}`,
      `${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ""}`,
    );
  }
  if (Array.isArray(body?.errors))
    return new BatchRefusedError(res.status, error.code, error.message, body.errors);
  const issues: Issue[] = error.issues ?? [];
  const exit = error.code === "promotion_blocked" ? EXIT.refused : EXIT.error;
  return new ApiError(res.status, error.code, error.message, issues, exit);
}
