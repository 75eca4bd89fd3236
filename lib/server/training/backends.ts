/**
 * What a job runs, per backend: the files written into its folder (Axolotl YAML, or the trainer's
 * spec.json), the argv and the environment. Pure data from the job spec — the preview shows
 * exactly what the worker will run. It lives in lib/server (not workers/backends) because the API
 * renders it too, and the YAML library is Node-side.
 */
import path from "node:path";
import { stringify } from "yaml";
import { axolotlCommand, buildAxolotlConfig, JOB_DIR } from "@/lib/domain/axolotl-config";
import { buildTrainerSpec, TINY_BASE_MODEL } from "@/lib/domain/sft-spec";
import type { CreateTrainingJobBody } from "@/lib/schemas/training-jobs";
import type { TrainerSpec } from "@/lib/schemas/trainer-spec";
import { env } from "@/lib/server/core/env";
import { jobDir, tinyBaseDir } from "./paths";

export type BackendPlan = {
  image: string;
  command: string[];
  env: Record<string, string>;
  /** Files to write into the job folder before the run starts, by name. */
  files: Record<string, string>;
  config: { kind: "axolotl-yaml" | "trainer-spec"; text: string };
  trainerSpec: TrainerSpec | null;
};

export type PlanContext = {
  jobId: string;
  attempt: number;
  resume: boolean;
  totalSteps: number;
  hasEvalRows: boolean;
};

/** The trainers/ folder of this checkout; LOCAL runs its scripts in place. */
export function trainersDir(): string {
  return path.resolve("trainers");
}

export function pythonPath(): string {
  return path.resolve(env().RETUNE_PYTHON);
}

export function planBackend(spec: CreateTrainingJobBody, ctx: PlanContext): BackendPlan {
  const local = spec.executor === "LOCAL";
  const e = env();
  if (spec.backend === "AXOLOTL") {
    // The data folder holds the dataset's own split already; Axolotl splits nothing itself.
    const config = buildAxolotlConfig(spec, { evalFraction: 0, evalFile: ctx.hasEvalRows });
    const text = stringify(config, { lineWidth: 0 });
    const cmd = axolotlCommand();
    return {
      image: e.TRAINER_IMAGE_AXOLOTL,
      command: cmd.argv,
      env: cmd.env,
      files: { "config.yml": text },
      config: { kind: "axolotl-yaml", text },
      trainerSpec: null,
    };
  }
  const dir = local ? jobDir(ctx.jobId) : JOB_DIR;
  const tiny = spec.baseModel === TINY_BASE_MODEL;
  const baseModelPath = tiny ? (local ? tinyBaseDir() : `${JOB_DIR}/base-model`) : null;
  const trainerSpec = buildTrainerSpec(spec, { ...ctx, paths: { jobDir: dir, baseModelPath } });
  const text = JSON.stringify(trainerSpec, null, 2);
  const script = local ? path.join(trainersDir(), "sft.py") : `${JOB_DIR}/trainers/sft.py`;
  return {
    image: spec.backend === "UNSLOTH" ? e.TRAINER_IMAGE_UNSLOTH : e.TRAINER_IMAGE_PEFT,
    command: [local ? pythonPath() : "python", script, "--spec", `${dir}/spec.json`],
    env: {
      PYTHONUNBUFFERED: "1",
      HF_HUB_DISABLE_TELEMETRY: "1",
      TOKENIZERS_PARALLELISM: "false",
      // LOCAL runs get their thread cap from the host they run on, when they start
      // (trainer-process.ts: TRAINER_CPU_THREADS over the LOCAL slots). A CPU container gets one
      // BLAS thread: it cannot tell the cores it was given from the host's, and extra threads
      // made tiny-model steps up to 4x slower on a busy 2-core machine.
      ...(spec.compute.gpuType === "CPU" && !local ? { OMP_NUM_THREADS: "1" } : {}),
    },
    files: { "spec.json": text },
    config: { kind: "trainer-spec", text },
    trainerSpec,
  };
}
