/**
 * Gate decisions: compute a version's gate from the newest eval runs on its Model's suite, and
 * store each decision with its evidence. Idempotent: a decision equal to the newest stored one is
 * not stored again, so a redelivered evaluation job changes nothing. What follows a decision
 * (notify, auto-promote) is after-eval-run.ts.
 */
import { evaluateGate, type GateSide } from "@/lib/domain/gate";
import { caseScoresSchema, type CaseScores, runMetricsSchema } from "@/lib/schemas/eval-metrics";
import type { GateEvaluation, GatePolicy } from "@/lib/schemas/gates";
import type { Prisma } from "@/lib/server/core/db";
import { db } from "@/lib/server/core/db";
import type { ModelVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { policyOf } from "./models";
import { latestDecisions } from "./registry-state";

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
