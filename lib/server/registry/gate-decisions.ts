/**
 * Gate decisions: after an eval run finishes, decide the gate of every version whose evidence
 * it is (the version it evaluated, or — when it evaluated the production version — the Model's
 * other candidates), store each decision with its evidence, notify, and auto-promote when the
 * Model's policy says so. Idempotent: a decision equal to the newest stored one is not stored
 * again, so a redelivered evaluation job changes nothing.
 */
import { evaluateGate, type GateSide } from "@/lib/domain/gate";
import { caseScoresSchema, type CaseScores, runMetricsSchema } from "@/lib/schemas/eval-metrics";
import type { GateEvaluation, GatePolicy } from "@/lib/schemas/gates";
import type { Prisma } from "@/lib/server/core/db";
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import type { ModelVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { policyOf } from "./models";
import { autoPromote } from "./registry";
import { approvalOf, latestDecisions } from "./registry-state";
import { notify } from "@/lib/server/webhooks/webhooks";

type RunPick = { id: string; status: string; metrics: unknown; error: string | null };

/** The newest finished (or failed) run of a version on a suite. */
async function newestRun(suiteId: string, modelVersionId: string): Promise<RunPick | null> {
  return db().evalRun.findFirst({
    where: {
      suiteId,
      modelVersionId,
      status: { in: ["SUCCEEDED", "FAILED", "QUEUED", "RUNNING"] },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, metrics: true, error: true },
  });
}

async function sideOf(run: RunPick): Promise<GateSide> {
  const rows = await db().evalCaseResult.findMany({
    where: { evalRunId: run.id },
    orderBy: { index: "asc" },
    select: { scores: true },
  });
  const cases: CaseScores[] = [];
  for (const r of rows) {
    const parsed = caseScoresSchema.safeParse(r.scores);
    if (parsed.success) cases.push(parsed.data);
  }
  const metrics = runMetricsSchema.safeParse(run.metrics ?? {});
  return { metrics: metrics.success ? metrics.data : {}, cases };
}

const pending = (policy: GatePolicy, note: string): GateEvaluation => ({
  ...evaluateGate({ policy, candidate: null, production: null }),
  failures: [note],
});

export type Decided = {
  evaluation: GateEvaluation;
  candidateRunId: string | null;
  productionRunId: string | null;
  productionVersionId: string | null;
};

/** Computes a version's gate from the newest runs on its Model's suite (no writes). */
export async function computeGate(
  version: VersionRow,
  policy: GatePolicy,
  suiteId: string | null,
): Promise<Decided> {
  const none = { candidateRunId: null, productionRunId: null, productionVersionId: null };
  if (!suiteId)
    return {
      evaluation: pending(policy, "the Model has no eval suite: set one to evaluate candidates"),
      ...none,
    };
  const production = await db().modelVersion.findFirst({
    where: { modelId: version.modelId, stage: "PRODUCTION", id: { not: version.id } },
  });
  const candidateRun = await newestRun(suiteId, version.id);
  const productionRun = production ? await newestRun(suiteId, production.id) : null;
  const ids = {
    candidateRunId: candidateRun?.id ?? null,
    productionRunId: productionRun?.id ?? null,
    productionVersionId: production?.id ?? null,
  };
  if (!candidateRun || candidateRun.status === "QUEUED" || candidateRun.status === "RUNNING")
    return { evaluation: pending(policy, "waiting for the candidate's evaluation"), ...ids };
  if (candidateRun.status === "FAILED") {
    const evaluation = evaluateGate({
      policy,
      candidate: { metrics: {}, cases: [] },
      production: null,
    });
    return {
      evaluation: {
        ...evaluation,
        status: "FAILED",
        failures: [
          `the candidate's evaluation failed: ${candidateRun.error ?? "no error recorded"}`,
        ],
      },
      ...ids,
    };
  }
  if (productionRun && (productionRun.status === "QUEUED" || productionRun.status === "RUNNING"))
    return {
      evaluation: pending(policy, "waiting for the production version's evaluation"),
      ...ids,
    };
  const candidate = await sideOf(candidateRun);
  // Production without a usable run on this suite compares as empty: relative conditions then
  // fail ("production has no …") instead of passing as if there were no production version.
  const productionSide = production
    ? productionRun?.status === "SUCCEEDED"
      ? await sideOf(productionRun)
      : { metrics: {}, cases: [] }
    : null;
  return { evaluation: evaluateGate({ policy, candidate, production: productionSide }), ...ids };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Decides and stores a version's gate. Returns the decision and whether it is new (a change
 * from the newest stored decision), so callers notify and promote once per change.
 */
export async function decideGate(
  versionId: string,
): Promise<{ decided: Decided; changed: boolean } | null> {
  const version = await db().modelVersion.findUnique({
    where: { id: versionId },
    include: { model: { include: { gatePolicy: true } } },
  });
  if (!version) return null;
  const policy = policyOf(version.model.gatePolicy);
  if (!policy) return null;
  const decided = await computeGate(version, policy, version.model.evalSuiteId);
  const latest = (await latestDecisions([version.id])).get(version.id);
  const { evaluation } = decided;
  if (
    latest &&
    latest.status === evaluation.status &&
    same(latest.evidence, evaluation) &&
    latest.candidateRunId === decided.candidateRunId &&
    latest.productionRunId === decided.productionRunId
  )
    return { decided, changed: false };
  await db().gateDecision.create({
    data: {
      modelVersionId: version.id,
      status: evaluation.status,
      passed: evaluation.status === "PASSED",
      evidence: evaluation as unknown as Prisma.InputJsonValue,
      policy: policy as unknown as Prisma.InputJsonValue,
      candidateRunId: decided.candidateRunId,
      productionRunId: decided.productionRunId,
      productionVersionId: decided.productionVersionId,
    },
  });
  return { decided, changed: latest?.status !== evaluation.status || !latest };
}

export function versionUrl(versionId: string): string {
  return new URL(`/model-versions/${versionId}`, env().APP_URL).toString();
}

/** After a gate is decided anew: tell the team, and promote when the policy says so. */
async function actOnDecision(versionId: string, decided: Decided) {
  const version = await db().modelVersion.findUnique({
    where: { id: versionId },
    include: { model: { include: { gatePolicy: true } }, approvals: true },
  });
  if (!version) return;
  const policy = policyOf(version.model.gatePolicy);
  if (!policy) return;
  const base = {
    model: version.model.name,
    version: version.version,
    url: versionUrl(version.id),
    actor: "retune",
  };
  const { status, failures } = decided.evaluation;
  if (status === "FAILED") {
    await notify(version.teamId, { ...base, kind: "gate_failed", failures });
    return;
  }
  if (status !== "PASSED") return;
  await notify(version.teamId, { ...base, kind: "gate_passed" });
  const approval = approvalOf(policy, version.approvals);
  if (approval.required && approval.status !== "APPROVED")
    await notify(version.teamId, { ...base, kind: "awaiting_approval" });
  await autoPromote(version.id);
}

/** Versions whose gate uses this run, decided again; each new decision is acted on. */
export async function afterEvalRun(runId: string): Promise<void> {
  const run = await db().evalRun.findUnique({
    where: { id: runId },
    include: { modelVersion: true },
  });
  if (!run?.modelVersion) return; // base-model and endpoint runs are context, not evidence
  const v = run.modelVersion;
  const affected =
    v.stage === "PRODUCTION"
      ? (
          await db().modelVersion.findMany({
            where: { modelId: v.modelId, stage: { in: ["CANDIDATE", "STAGING"] } },
            select: { id: true },
          })
        ).map((x) => x.id)
      : [v.id];
  for (const id of affected) {
    const result = await decideGate(id);
    if (result?.changed) await actOnDecision(id, result.decided);
  }
}
