import { z } from "zod";
import {
  appendTracesAcceptedSchema,
  appendTracesBodySchema,
} from "@/lib/schemas/dataset-from-traces";
import {
  createDatasetBodySchema,
  datasetDetailSchema,
  datasetSchema,
  datasetVersionListSchema,
  datasetVersionSchema,
  downloadQuerySchema,
  rowsPageSchema,
  rowsQuerySchema,
  uploadAcceptedSchema,
  uploadQuerySchema,
} from "@/lib/schemas/datasets";
import { listSearchQuerySchema } from "@/lib/schemas/search";
import {
  datasetVersionOptionsQuerySchema,
  datasetVersionOptionsSchema,
} from "@/lib/schemas/version-options";
import type { Operation } from "./spec";

const DATASET_ID = { id: "Dataset id" };
const VERSION_ID = { id: "Dataset version id" };

/** Datasets and their versions (lib/server/datasets). */
export const datasetOperations: Operation[] = [
  {
    id: "listDatasets",
    method: "get",
    path: "/api/v1/datasets",
    tag: "Datasets",
    summary: "The team's datasets, with their newest version",
    description: "`q` keeps the datasets whose name or description contains it (any case).",
    auth: { action: "team.read" },
    query: listSearchQuerySchema,
    responses: { 200: z.array(datasetSchema) },
  },
  {
    id: "createDataset",
    method: "post",
    path: "/api/v1/datasets",
    tag: "Datasets",
    summary: "Create a dataset (upload versions to it next)",
    auth: { action: "resource.write" },
    body: createDatasetBodySchema,
    responses: { 201: datasetSchema },
    errors: { 409: "A dataset of that name exists in the team." },
  },
  {
    id: "getDataset",
    method: "get",
    path: "/api/v1/datasets/{id}",
    tag: "Datasets",
    summary: "A dataset and its versions, newest first",
    auth: { action: "team.read" },
    params: DATASET_ID,
    responses: { 200: datasetDetailSchema },
  },
  {
    id: "listDatasetVersions",
    method: "get",
    path: "/api/v1/datasets/{id}/versions",
    tag: "Datasets",
    summary: "A dataset's versions, newest first (reports omitted)",
    auth: { action: "team.read" },
    params: DATASET_ID,
    responses: { 200: datasetVersionListSchema },
  },
  {
    id: "uploadDatasetVersion",
    method: "post",
    path: "/api/v1/datasets/{id}/versions",
    tag: "Datasets",
    summary: "Upload a JSONL file as the dataset's next version",
    description:
      "The body is the file itself (one JSON object per line), plain or gzip, streamed to storage: never JSON-wrapped or multipart. The version is validated in the background (status VALIDATING → READY or INVALID); the same bytes again return the earlier version (`deduplicated`).",
    auth: { action: "resource.write" },
    params: DATASET_ID,
    query: uploadQuerySchema,
    body: {
      description: "The JSONL file's bytes, up to DATASET_MAX_UPLOAD_BYTES (default 10 GiB).",
      content: {
        "application/x-ndjson": "text",
        "application/jsonl": "text",
        "application/gzip": "binary",
        "application/octet-stream": "binary",
      },
    },
    responses: { 202: uploadAcceptedSchema },
    errors: {
      400: "The body is empty or was interrupted.",
      413: "The file is over DATASET_MAX_UPLOAD_BYTES.",
      415: "A Content-Type other than JSONL, gzip, octet-stream or text.",
      422: "Not JSONL (the first line is no JSON object), not UTF-8, or broken gzip; or an invalid query parameter.",
    },
  },
  {
    id: "appendTracesToDataset",
    method: "post",
    path: "/api/v1/datasets/{id}/versions/from-traces",
    tag: "Datasets",
    summary: "A new version: the newest one's rows plus these traces",
    description:
      "One row per trace (a row already there is not repeated), validated like any upload.",
    auth: { action: "resource.write" },
    params: DATASET_ID,
    body: appendTracesBodySchema,
    responses: { 202: appendTracesAcceptedSchema },
    errors: { 409: "The newest version is still validating, or no trace could be read." },
  },
  {
    id: "listDatasetVersionOptions",
    method: "get",
    path: "/api/v1/dataset-versions",
    tag: "Datasets",
    summary: "The team's dataset versions, newest first (for pickers)",
    description:
      '`q`: part of the dataset\'s name ("name v3" finds v3 of "name"); `status`, `id`, `limit`.',
    auth: { action: "team.read" },
    query: datasetVersionOptionsQuerySchema,
    responses: { 200: datasetVersionOptionsSchema },
  },
  {
    id: "getDatasetVersion",
    method: "get",
    path: "/api/v1/dataset-versions/{id}",
    tag: "Datasets",
    summary: "A dataset version with its validation report and statistics",
    auth: { action: "team.read" },
    params: VERSION_ID,
    responses: { 200: datasetVersionSchema },
  },
  {
    id: "listDatasetRows",
    method: "get",
    path: "/api/v1/dataset-versions/{id}/rows",
    tag: "Datasets",
    summary: "A page of a version's rows with their findings",
    description: "Page with `offset`, jump to a file line with `line`, filter by text with `q`.",
    auth: { action: "team.read" },
    params: VERSION_ID,
    query: rowsQuerySchema,
    responses: { 200: rowsPageSchema },
    errors: { 409: "The stored gzip stream ends early; it cannot be read past its cut." },
  },
  {
    id: "downloadDatasetVersion",
    method: "get",
    path: "/api/v1/dataset-versions/{id}/download",
    tag: "Datasets",
    summary: "Download a version's file (or only its valid rows)",
    auth: { action: "team.read" },
    params: VERSION_ID,
    query: downloadQuerySchema,
    responses: {
      200: {
        description:
          "The stored file as uploaded (gzip stays gzip), or with `valid=true` its valid rows as NDJSON.",
        content: { "application/x-ndjson": "text", "application/gzip": "binary" },
        headers: {
          "Content-Disposition": { description: 'attachment; filename="dataset-…jsonl"' },
        },
      },
    },
    errors: { 409: "`valid=true` while the version is still validating." },
  },
  {
    id: "cleanDatasetVersion",
    method: "post",
    path: "/api/v1/dataset-versions/{id}/clean",
    tag: "Datasets",
    summary: "A new version holding only the valid rows of an INVALID one",
    auth: { action: "resource.write" },
    params: VERSION_ID,
    responses: { 202: uploadAcceptedSchema },
    errors: {
      409: "The version is not INVALID, its validation did not finish, or its gzip is truncated.",
      422: "Every row has an error: nothing to keep.",
    },
  },
];
