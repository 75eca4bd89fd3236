import {
  baseModelListSchema,
  executorInfoSchema,
  launchResponseSchema,
  logsQuerySchema,
  logsResponseSchema,
  metricsQuerySchema,
  metricsResponseSchema,
  retryBodySchema,
  trainingJobActionSchema,
  trainingJobListQuerySchema,
  trainingJobListSchema,
  trainingJobRequestSchema,
  trainingJobSchema,
} from "@/lib/schemas/training-jobs";
import { trainingPreviewSchema } from "@/lib/schemas/training-preview";
import { json, type Operation } from "./spec";

const JOB_ID = { id: "Training job id" };

/** Training jobs, the base-model catalogue and executors (lib/server/training). */
export const trainingOperations: Operation[] = [
  {
    id: "listTrainingJobs",
    method: "get",
    path: "/api/v1/training-jobs",
    tag: "Training",
    summary: "The team's training jobs, newest first",
    description: "`q`: part of the job's name, its Model's name or its base model (any case).",
    auth: { action: "team.read" },
    query: trainingJobListQuerySchema,
    responses: { 200: trainingJobListSchema },
  },
  {
    id: "launchTrainingJob",
    method: "post",
    path: "/api/v1/training-jobs",
    tag: "Training",
    summary: "Launch a fine-tuning job",
    description:
      "`model`, `datasetVersionId` and `baseModel` are required; every other field comes from `preset` (default: the base model's) adapted to them, and the resolved spec is what the job stores. A repeat with the same `Idempotency-Key` and body returns the first job.",
    auth: { action: "resource.write" },
    headers: {
      "Idempotency-Key": {
        description:
          "1–255 printable ASCII characters; a repeat with the same body returns the first job.",
      },
    },
    body: trainingJobRequestSchema,
    responses: { 201: launchResponseSchema },
    errors: {
      400: "The body is not JSON, or the Idempotency-Key is malformed.",
      422: "The request does not resolve into a valid spec (issues name the fields), the executor cannot run it here, or the Idempotency-Key was used for a different launch.",
    },
  },
  {
    id: "previewTrainingJob",
    method: "post",
    path: "/api/v1/training-jobs/preview",
    tag: "Training",
    summary: "Resolve and check a launch without starting it",
    description:
      "The same body as POST /training-jobs: answers the resolved spec, the backend's config and command, the estimate, the pre-flight (rows rendered through the chat template) and why a launch would be refused.",
    auth: { action: "resource.write" },
    body: trainingJobRequestSchema,
    responses: { 200: trainingPreviewSchema },
  },
  {
    id: "getTrainingJob",
    method: "get",
    path: "/api/v1/training-jobs/{id}",
    tag: "Training",
    summary: "A training job with its spec, attempts, estimate and artifacts",
    auth: { action: "team.read" },
    params: JOB_ID,
    responses: { 200: trainingJobSchema },
  },
  {
    id: "cancelTrainingJob",
    method: "post",
    path: "/api/v1/training-jobs/{id}/cancel",
    tag: "Training",
    summary: "Cancel a queued or running job",
    description:
      "A queued job is CANCELLED at once; a starting or running one is CANCELLING until its trainer has stopped.",
    auth: { action: "resource.write" },
    params: JOB_ID,
    responses: { 200: trainingJobActionSchema },
    errors: { 409: "The job is not QUEUED, STARTING or RUNNING." },
  },
  {
    id: "retryTrainingJob",
    method: "post",
    path: "/api/v1/training-jobs/{id}/retry",
    tag: "Training",
    summary: "Start a new attempt of a failed or cancelled job",
    description: "Resumes from the newest checkpoint unless `resume` is false.",
    auth: { action: "resource.write" },
    params: JOB_ID,
    body: json(retryBodySchema, { required: false }),
    responses: { 200: trainingJobActionSchema },
    errors: {
      400: "The body is not JSON.",
      409: "The job is not FAILED or CANCELLED (or is still stopping its trainer).",
      413: "The JSON body is over 1,000,000 bytes.",
      422: "Validation failed, or the executor cannot run this job on this deployment.",
    },
  },
  {
    id: "getTrainingLogs",
    method: "get",
    path: "/api/v1/training-jobs/{id}/logs",
    tag: "Training",
    summary: "Page through an attempt's log (or download it whole)",
    description:
      "`after` is a byte offset: the answer's `next` is the next call's `after`. `download=1` answers the whole file as text.",
    auth: { action: "team.read" },
    params: JOB_ID,
    query: logsQuerySchema,
    responses: {
      200: {
        description: "A JSON page of the log, or with `download=1` the log file itself.",
        content: { "application/json": logsResponseSchema, "text/plain": "text" },
      },
    },
  },
  {
    id: "getTrainingMetrics",
    method: "get",
    path: "/api/v1/training-jobs/{id}/metrics",
    tag: "Training",
    summary: "Loss and other metric points, by step",
    description: "`afterStep` returns only newer points (live charts poll with their last step).",
    auth: { action: "team.read" },
    params: JOB_ID,
    query: metricsQuerySchema,
    responses: { 200: metricsResponseSchema },
  },
  {
    id: "downloadCheckpoint",
    method: "get",
    path: "/api/v1/training-jobs/{id}/checkpoints/{name}",
    tag: "Training",
    summary: "Download one kept checkpoint folder as a tar",
    auth: { action: "team.read" },
    params: { ...JOB_ID, name: "Checkpoint name as the job lists it, e.g. `checkpoint-20`" },
    responses: {
      200: {
        description: "The checkpoint's files, streamed.",
        content: { "application/x-tar": "binary" },
        headers: { "Content-Disposition": { description: 'attachment; filename="…tar"' } },
      },
    },
    errors: { 400: "Not a checkpoint name (`checkpoint-<step>`)." },
  },
  {
    id: "listBaseModels",
    method: "get",
    path: "/api/v1/base-models",
    tag: "Training",
    summary: "The fine-tunable base-model catalogue",
    auth: { action: "team.read" },
    responses: { 200: baseModelListSchema },
  },
  {
    id: "listExecutors",
    method: "get",
    path: "/api/v1/executors",
    tag: "Training",
    summary: "Executors (LOCAL, DOCKER, KUBERNETES): available here or why not",
    auth: { action: "team.read" },
    responses: { 200: executorInfoSchema },
  },
];
