/**
 * The loop as the Model page draws it: for each retrain, trigger → dataset → job → eval → gate
 * → promotion, each step read from the row that step produced (nothing here is a copy that
 * could drift from the truth).
 */
import type { GateStatus } from "@/lib/schemas/gates";
import { type LoopStep, type RetrainRequest, retrainRequestSchema } from "@/lib/schemas/retrain";
import { STEP_LABEL } from "@/lib/domain/retrain-loop";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { loadModel } from "@/lib/server/registry/models";
import { policyOf } from "@/lib/server/registry/registry-state";
import type { Principal } from "@/lib/server/core/principal";
import type { RetrainRow } from "./retrains";

/** How a gate decision reads in the loop's step label ("Gate passed", "Gate not evaluated"). */
const GATE_STATUS_WORDS: Record<GateStatus, string> = {
  NOT_EVALUATED: "not evaluated",
  PENDING: "pending",
  PASSED: "passed",
  FAILED: "failed",
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const step = (s: LoopStep) => s;

const TRIGGER_LABEL = { DRIFT: "Drift breach", SCHEDULE: "Schedule", MANUAL: "Run now" } as const;

type LoopSettings = { autoPromote: boolean; requireApproval: boolean };

async function stepsOf(r: RetrainRow, settings: LoopSettings): Promise<LoopStep[]> {
  const trigger = step({
    step: "trigger",
    state: "done",
    label: TRIGGER_LABEL[r.trigger as keyof typeof TRIGGER_LABEL] ?? r.trigger,
    detail: r.reason,
    href: r.monitorId ? `/monitors/${r.monitorId}` : null,
    at: iso(r.createdAt),
  });
  const rest = (from: LoopStep["step"][], state: LoopStep["state"]) =>
    from.map((s) =>
      step({ step: s, state, label: STEP_LABEL[s], detail: null, href: null, at: null }),
    );

  if (r.status === "SKIPPED")
    return [
      trigger,
      step({
        step: "dataset",
        state: "skipped",
        label: "Skipped",
        detail: r.error,
        href: null,
        at: iso(r.updatedAt),
      }),
      ...rest(["job", "eval", "gate", "promotion"], "skipped"),
    ];

  const dv = r.datasetVersionId
    ? await db().datasetVersion.findUnique({ where: { id: r.datasetVersionId } })
    : null;
  const stats = (dv?.stats ?? null) as { rows?: number } | null;
  const dataset = step(
    !dv
      ? {
          step: "dataset",
          state: r.status === "FAILED" ? "failed" : "active",
          label: r.status === "FAILED" ? "Dataset failed" : "Building from traces",
          detail: r.status === "FAILED" ? r.error : null,
          href: null,
          at: null,
        }
      : {
          step: "dataset",
          state: dv.status === "READY" ? "done" : dv.status === "INVALID" ? "failed" : "active",
          label: `Dataset v${dv.version}`,
          detail:
            dv.status === "INVALID"
              ? (r.error ?? dv.error ?? "failed validation")
              : `${r.traceCount ?? "?"} traces${stats?.rows ? `, ${stats.rows} rows` : ""}${dv.status === "VALIDATING" ? " — validating" : ""}`,
          href: `/datasets/${dv.datasetId}`,
          at: iso(dv.validatedAt ?? dv.createdAt),
        },
  );
  if (!r.trainingJobId) {
    const failedHere = r.status === "FAILED" && dataset.state !== "failed";
    return [
      trigger,
      dataset,
      failedHere
        ? step({
            step: "job",
            state: "failed",
            label: "Launch failed",
            detail: r.error,
            href: null,
            at: iso(r.updatedAt),
          })
        : step({
            step: "job",
            state: "pending",
            label: "Training job",
            detail: null,
            href: null,
            at: null,
          }),
      ...rest(["eval", "gate", "promotion"], r.status === "FAILED" ? "skipped" : "pending"),
    ];
  }
  const job = await db().trainingJob.findUnique({
    where: { id: r.trainingJobId },
    include: { modelVersion: true },
  });
  if (!job) return [trigger, dataset, ...rest(["job", "eval", "gate", "promotion"], "failed")];
  const jobStep = step({
    step: "job",
    state:
      job.status === "SUCCEEDED"
        ? "done"
        : job.status === "FAILED" || job.status === "CANCELLED"
          ? "failed"
          : "active",
    label: job.name,
    detail:
      job.status === "RUNNING"
        ? `${Math.round(job.progress * 100)}% (step ${job.currentStep}${job.totalSteps ? ` of ${job.totalSteps}` : ""})`
        : job.status === "FAILED"
          ? (job.error ?? "failed")
          : job.status.toLowerCase(),
    href: `/training-jobs/${job.id}`,
    at: iso(job.finishedAt ?? job.startedAt ?? job.createdAt),
  });
  const v = job.modelVersion;
  if (!v)
    return [
      trigger,
      dataset,
      jobStep,
      ...rest(["eval", "gate", "promotion"], jobStep.state === "failed" ? "skipped" : "pending"),
    ];
  const [run, decision] = await Promise.all([
    db().evalRun.findFirst({
      where: { modelVersionId: v.id, targetKind: "MODEL_VERSION" },
      orderBy: { createdAt: "desc" },
    }),
    db().gateDecision.findFirst({
      where: { modelVersionId: v.id },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  const metrics = (run?.metrics ?? {}) as Record<string, number>;
  const evalStep = step(
    run
      ? {
          step: "eval",
          state:
            run.status === "SUCCEEDED"
              ? "done"
              : run.status === "FAILED" || run.status === "CANCELLED"
                ? "failed"
                : "active",
          label: `Eval of v${v.version}`,
          detail:
            run.status === "SUCCEEDED" && metrics.tool_call_accuracy !== undefined
              ? `tool-call accuracy ${(metrics.tool_call_accuracy * 100).toFixed(1)}%`
              : run.status === "RUNNING"
                ? `${run.casesDone}/${run.caseCount} cases`
                : run.status.toLowerCase(),
          href: `/evals/runs/${run.id}`,
          at: iso(run.finishedAt ?? run.createdAt),
        }
      : {
          step: "eval",
          state: "pending",
          label: `Eval of v${v.version}`,
          detail: "waiting for the Model's eval suite",
          href: null,
          at: null,
        },
  );
  const gateStep = step(
    decision
      ? {
          step: "gate",
          // NOT_EVALUATED waits on evidence like PENDING does: the step is not over.
          state:
            decision.status === "PASSED"
              ? "done"
              : decision.status === "FAILED"
                ? "failed"
                : "active",
          label: `Gate ${GATE_STATUS_WORDS[decision.status as GateStatus] ?? decision.status.toLowerCase()}`,
          detail: null,
          href: `/model-versions/${v.id}`,
          at: iso(decision.createdAt),
        }
      : { step: "gate", state: "pending", label: "Gate", detail: null, href: null, at: null },
  );
  const promoted = await db().promotion.findFirst({
    where: { modelVersionId: v.id, toStage: "PRODUCTION" },
    orderBy: { createdAt: "desc" },
  });
  const promotion = step(
    promoted
      ? {
          step: "promotion",
          state: "done",
          label: `v${v.version} → PRODUCTION`,
          detail: promoted.kind === "auto" ? "promoted by policy" : `promoted (${promoted.kind})`,
          href: `/model-versions/${v.id}`,
          at: iso(promoted.createdAt),
        }
      : {
          step: "promotion",
          state:
            gateStep.state === "failed"
              ? "skipped"
              : gateStep.state === "done" && (!settings.autoPromote || settings.requireApproval)
                ? "waiting"
                : "pending",
          label: "Promotion",
          detail:
            gateStep.state === "failed"
              ? "the gate failed; production is unchanged"
              : gateStep.state !== "done"
                ? null
                : !settings.autoPromote
                  ? "auto-promote is off: promote from the version page"
                  : settings.requireApproval
                    ? "the gate policy asks for an approval before production"
                    : null,
          href: `/model-versions/${v.id}`,
          at: null,
        },
  );
  return [trigger, dataset, jobStep, evalStep, gateStep, promotion];
}

export async function toRetrainRequest(
  r: RetrainRow,
  settings: LoopSettings,
): Promise<RetrainRequest> {
  return retrainRequestSchema.parse({
    id: r.id,
    modelId: r.modelId,
    key: r.key,
    trigger: r.trigger,
    status: r.status,
    reason: r.reason,
    monitorId: r.monitorId,
    driftCheckId: r.driftCheckId,
    traceCount: r.traceCount,
    datasetVersionId: r.datasetVersionId,
    trainingJobId: r.trainingJobId,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    steps: await stepsOf(r, settings),
  });
}

/** What decides whether a passed gate promotes on its own. */
export async function loopSettings(modelId: string): Promise<LoopSettings> {
  const [retrain, gate] = await Promise.all([
    db().retrainPolicy.findUnique({ where: { modelId }, select: { autoPromote: true } }),
    db().gatePolicy.findUnique({ where: { modelId } }),
  ]);
  return {
    autoPromote: retrain?.autoPromote ?? false,
    requireApproval: policyOf(gate)?.requireApproval ?? false,
  };
}

export async function listRetrains(
  p: Principal,
  modelRef: string,
  limit = 20,
): Promise<RetrainRequest[]> {
  authorize(p, "team.read");
  const model = await loadModel(p, modelRef);
  const [rows, settings] = await Promise.all([
    db().retrainRequest.findMany({
      where: { teamId: p.teamId, modelId: model.id },
      orderBy: { createdAt: "desc" },
      take: Math.min(Math.max(limit, 1), 100),
    }),
    loopSettings(model.id),
  ]);
  return Promise.all(rows.map((r) => toRetrainRequest(r, settings)));
}
