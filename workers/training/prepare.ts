/**
 * Everything a run needs in its job folder before the executor starts it: the data split, the
 * backend's files (spec.json or config.yml) and, for containers, the trainer scripts. Idempotent:
 * data already written for an earlier attempt is kept (the split is deterministic).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { loadVersionById } from "@/lib/server/datasets/datasets";
import { linkTrainingData } from "@/lib/server/training/data";
import { planBackend, trainersDir, type BackendPlan } from "@/lib/server/training/backends";
import { attemptDir, jobDir, outputDir, tinyBaseDir } from "@/lib/server/training/paths";
import { TINY_BASE_MODEL } from "@/lib/domain/sft-spec";
import type { Run } from "@/lib/server/training/runs";
import type { LaunchSpec } from "../executors/types";

export async function prepareRun(run: Run): Promise<{ plan: BackendPlan; launch: LaunchSpec }> {
  const { job, attempt } = run;
  const spec = createTrainingJobBodySchema.parse(job.spec);
  const dir = jobDir(job.id);
  // Synchronous on purpose: a handful of metadata calls on a fresh folder cost ~0.1 ms inline
  // against ~2.5 ms of CPU through the thread pool (npm run bench:dispatch); the worker's event
  // loop is blocked for microseconds.
  mkdirSync(attemptDir(job.id, attempt.attempt), { recursive: true });
  mkdirSync(outputDir(job.id), { recursive: true });
  const version = await loadVersionById(job.datasetVersionId);
  const evalVersion = job.evalDatasetVersionId
    ? await loadVersionById(job.evalDatasetVersionId)
    : null;
  const counts = await linkTrainingData(dir, version, evalVersion);
  if (counts.train === 0)
    throw new Error(`dataset version ${version.id} has no trainable chat rows`);
  const evalRows = counts.eval;
  const plan = planBackend(spec, {
    jobId: job.id,
    attempt: attempt.attempt,
    resume: attempt.resume,
    totalSteps: job.totalSteps ?? 1,
    hasEvalRows: evalRows > 0,
  });
  for (const [name, text] of Object.entries(plan.files)) {
    const tmp = path.join(dir, `.${name}.tmp`);
    writeFileSync(tmp, text); // small files; synchronous as above
    renameSync(tmp, path.join(dir, name));
  }
  if (spec.executor !== "LOCAL" && spec.backend !== "AXOLOTL") {
    // The container image has Python and the libraries; retune's trainer scripts travel with the job.
    await cp(trainersDir(), path.join(dir, "trainers"), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.venv`) && !src.includes("__pycache__"),
    });
    // The tiny base is built on the host (trainers/tiny_base.py), never pulled: a container run
    // gets a copy at /job/base-model (a few MB), where planBackend points it. Without one the
    // container builds it itself (resolve_base), which costs a minute and a half of its CPU.
    const base = path.join(dir, "base-model");
    const built = path.join(tinyBaseDir(), "retune-tiny-base.json");
    if (spec.baseModel === TINY_BASE_MODEL && existsSync(built) && !existsSync(base)) {
      await cp(tinyBaseDir(), `${base}.tmp-${attempt.attempt}`, { recursive: true });
      renameSync(`${base}.tmp-${attempt.attempt}`, base);
    }
  }
  const launch: LaunchSpec = {
    jobId: job.id,
    attempt: attempt.attempt,
    teamId: job.teamId,
    backend: spec.backend,
    image: plan.image,
    command: plan.command,
    env: plan.env,
    jobDir: dir,
    gpu:
      spec.compute.gpuType === "CPU"
        ? null
        : { type: spec.compute.gpuType, count: spec.compute.gpuCount },
    timeoutSeconds: 0,
  };
  return { plan, launch };
}
