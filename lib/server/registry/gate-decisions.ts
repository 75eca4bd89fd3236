/**
 * Gate decisions: compute a version's gate from the newest eval runs on its Model's suite and
 * the suite's overlap with the version's training data (leakage.ts), and store each decision
 * with its evidence. Without a finished run of the version there is no evidence: NOT_EVALUATED
 * (PENDING while one is queued or running). Idempotent: a decision equal to the newest stored
 * one is not stored again, so a redelivered evaluation job changes nothing. What follows a
 * decision (notify, auto-promote) is after-eval-run.ts.
 */
import {
  evaluateGate,
  type GateSide,
  NO_SUITE_NOTE,
  NOT_EVALUATED_NOTE,
  type OwnRun,
  undecidedGate,
  WAITING_NOTE,
} from "@/lib/domain/gate";
import { caseScoresSchema, type CaseScores, runMetricsSchema } from "@/lib/schemas/eval-metrics";
import type { GateEvaluation, GatePolicy } from "@/lib/schemas/gates";
import type { Prisma } from "@/lib/server/core/db";
import { db } from "@/lib/server/core/db";
import type { ModelVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { checkLeakage } from "./leakage";
import { latestDecisions, policyOf } from "./registry-state";

type RunPick = {
  id: string;
  status: NonNullable<OwnRun>["status"];
  metrics: unknown;
  error: string | null;
};

/** Run states that are evidence or on the way to it (a cancelled run is neither). */
const GATE_RUN_STATUSES: RunPick["status"][] = ["SUCCEEDED", "FAILED", "QUEUED", "RUNNING"];

/** The newest run (finished, failed, queued or running) of a version on a suite. */
async function newestRun(suiteId: string, modelVersionId: string): Promise<RunPick | null> {
  return (await newestRuns(suiteId, [modelVersionId])).get(modelVersionId) ?? null;
}

/** The newest run of each version on a suite, by version id (versions without one absent). */
export async function newestRuns(
  suiteId: string,
  versionIds: string[],
): Promise<Map<string, RunPick>> {
  if (!versionIds.length) return new Map();
  const rows = await db().evalRun.findMany({
    where: { suiteId, modelVersionId: { in: versionIds }, status: { in: GATE_RUN_STATUSES } },
    orderBy: { createdAt: "desc" },
    distinct: ["modelVersionId"],
    select: { id: true, status: true, metrics: true, error: true, modelVersionId: true },
  });
  return new Map(
    rows.map((r) => [
      r.modelVersionId!,
      { id: r.id, status: r.status as RunPick["status"], metrics: r.metrics, error: r.error },
    ]),
  );
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
  const suite = suiteId ? await db().evalSuite.findUnique({ where: { id: suiteId } }) : null;
  if (!suiteId || !suite)
    return {
      evaluation: undecidedGate(policy, "NOT_EVALUATED", [NOT_EVALUATED_NOTE, NO_SUITE_NOTE]),
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
  if (!candidateRun)
    return {
      evaluation: undecidedGate(policy, "NOT_EVALUATED", [NOT_EVALUATED_NOTE]),
      ...ids,
    };
  if (candidateRun.status === "QUEUED" || candidateRun.status === "RUNNING")
    return { evaluation: undecidedGate(policy, "PENDING", [WAITING_NOTE]), ...ids };
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
      evaluation: undecidedGate(policy, "PENDING", [
        "waiting for the production version's evaluation",
      ]),
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
  // Computed once per (suite data, training data) pair and cached; see leakage.ts.
  const leakage = await checkLeakage(version, suite);
  return {
    evaluation: evaluateGate({ policy, candidate, production: productionSide, leakage }),
    ...ids,
  };
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
