/**
 * What follows an eval run (the `evaluation` worker calls it once the run is terminal): decide
 * the gate of every version whose evidence the run is (the version it evaluated, or — when it
 * evaluated the production version — the Model's other candidates); for each decision that
 * changed, notify the team and auto-promote when the Model's policy says so. Idempotent.
 */
import { db } from "@/lib/server/core/db";
import { notify } from "@/lib/server/webhooks/webhooks";
import { type Decided, decideGate } from "./gate-decisions";
import { approvalOf, policyOf } from "./registry-state";
import { autoPromote } from "./stage-changes";
import { versionUrl } from "./version-url";

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
