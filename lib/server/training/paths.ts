/**
 * Where a training job's files live: ARTIFACT_DIR/training/<jobId>/ — spec.json or config.yml,
 * data/ (the split the job trains on), output/ (checkpoints and the adapter, shared by every
 * attempt so a retry resumes) and attempt-N/ (that attempt's stored log). Paths come from ids.
 */
import path from "node:path";
import { artifactRoot, artifactUri } from "@/lib/server/core/artifacts";
import { env } from "@/lib/server/core/env";

const ID = /^[0-9a-zA-Z-]+$/;

function checkedId(id: string): string {
  if (!ID.test(id)) throw new Error(`not an id: ${id}`);
  return id;
}

export function jobKey(jobId: string): string {
  return `training/${checkedId(jobId)}`;
}

export function jobDir(jobId: string): string {
  return path.join(artifactRoot(), jobKey(jobId));
}

export function attemptDir(jobId: string, attempt: number): string {
  return path.join(jobDir(jobId), `attempt-${attempt}`);
}

/** The log retune keeps for an attempt, appended by the reconciler from the executor's output. */
export function storedLogPath(jobId: string, attempt: number): string {
  return path.join(attemptDir(jobId, attempt), "output.log");
}

export function outputDir(jobId: string): string {
  return path.join(jobDir(jobId), "output");
}

/** The tiny local base model, built once per artifact store by trainers/tiny_base.py. */
export function tinyBaseDir(): string {
  const root = env().BASE_MODEL_DIR;
  return path.join(
    root ? path.resolve(root) : path.join(artifactRoot(), "base-models"),
    "retune-tiny-chat",
  );
}

export function modelVersionKey(modelId: string, version: number): string {
  return `models/${checkedId(modelId)}/v${version}`;
}

export function modelVersionUri(modelId: string, version: number): string {
  return artifactUri(modelVersionKey(modelId, version));
}
