/**
 * POST /training-jobs/preview: what a launch would run and need, before anything is rented —
 * the resolved spec (and the preset it came from), the backend's config and command, the
 * estimate, the pre-flight checks on the real data through the base model's real chat template,
 * and whether this deployment's executor can run it (blockers, or warnings for what could not
 * be checked).
 */
import type { TrainingJobRequest } from "@/lib/schemas/training-jobs";
import type { Preflight } from "@/lib/schemas/training-preflight";
import type { TrainingPreview } from "@/lib/schemas/training-preview";
import { authorize } from "@/lib/server/core/authorize";
import { storedPath } from "@/lib/server/datasets/datasets";
import type { Principal } from "@/lib/server/core/principal";
import { planBackend } from "./backends";
import { resolveLaunch } from "./launch";
import { runPreflight } from "./preflight";
import { checkExecutor } from "./readiness";

/**
 * The live estimate panel calls preview as the form changes, so the pre-flight reads a sample:
 * rendering through a Jinja chat template costs ~0.5-1 ms a row in JS, so a full 50k-row scan takes
 * most of a minute. The first PREVIEW_SCAN_ROWS rows of each file are checked (the report says so
 * with a `scan_capped` finding) and results are cached per (versions, base model, sequence length).
 */
const PREVIEW_SCAN_ROWS = 2_000;
const cache = new Map<string, Promise<Preflight>>();
const CACHE_SIZE = 64;

function cachedPreflight(key: string, run: () => Promise<Preflight>): Promise<Preflight> {
  let hit = cache.get(key);
  if (!hit) {
    hit = run();
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return hit;
}

export async function previewTrainingJob(
  p: Principal,
  request: TrainingJobRequest,
): Promise<TrainingPreview> {
  authorize(p, "resource.write");
  const {
    spec: body,
    preset,
    notes,
    version,
    evalVersion,
    estimate,
  } = await resolveLaunch(p, request);
  const plan = planBackend(body, {
    jobId: "preview",
    attempt: 1,
    resume: false,
    totalSteps: estimate.steps,
    hasEvalRows: true,
  });
  const key = [version.id, evalVersion?.id, body.baseModel, body.hyperparameters.sequenceLen].join(
    "|",
  );
  const preflight = await cachedPreflight(key, () =>
    runPreflight({
      baseModel: body.baseModel,
      sequenceLen: body.hyperparameters.sequenceLen,
      trainPath: storedPath(version),
      evalPath: evalVersion ? storedPath(evalVersion) : null,
      evalSplit: evalVersion ? null : { evalFraction: version.evalFraction },
      scanLimit: PREVIEW_SCAN_ROWS,
      // Rows are judged as their own upload was, so the scan keeps what validation kept.
      trainValidation: { declaredFormat: version.declaredFormat, baseModel: version.baseModel },
      ...(evalVersion
        ? {
            evalValidation: {
              declaredFormat: evalVersion.declaredFormat,
              baseModel: evalVersion.baseModel,
            },
          }
        : {}),
    }),
  );
  const readiness = await checkExecutor(body);
  const blockers = [
    ...(estimate.fits
      ? []
      : [
          `needs about ${estimate.vramGb} GB of GPU memory; a ${body.compute.gpuType} has ${estimate.gpuMemoryGb} GB`,
        ]),
    ...readiness.blockers.map((b) => b.message),
    ...preflight.findings.filter((f) => f.severity === "error").map((f) => f.message),
  ];
  return {
    /** The complete spec a launch of this request stores and runs. */
    spec: body,
    /** The preset the request's missing fields came from, and what was adapted and why. */
    preset,
    notes,
    axolotlConfig: plan.config.kind === "axolotl-yaml" ? plan.config.text : null,
    trainerSpec: plan.trainerSpec,
    command: plan.command,
    image: body.executor === "LOCAL" ? null : plan.image,
    estimate,
    preflight,
    /** Why a launch of this spec would be refused; empty when it can launch. */
    blockers,
    /** What could not be checked (no training worker alive yet), or may fail on some workers. */
    warnings: readiness.warnings,
  };
}
