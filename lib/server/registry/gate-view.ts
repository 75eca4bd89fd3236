/**
 * A version's gate as everything reads it — the version page, the Model's version table, the
 * model card and the promotion rules — so one version never shows two statuses. With a policy:
 * the newest stored decision, or (never decided) what the gate would say now. Without one:
 * nothing decides the version, so it is NOT_EVALUATED or PENDING, never PASSED.
 */
import { gateWithoutPolicy } from "@/lib/domain/gate";
import type { GatePolicy, GateStatus } from "@/lib/schemas/gates";
import type { VersionGate } from "@/lib/schemas/models";
import type { ModelVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { computeGate, newestRuns } from "./gate-decisions";
import { latestDecisions, type StoredDecision } from "./registry-state";

type ModelRef = { evalSuiteId: string | null };

async function withoutPolicy(model: ModelRef, ids: string[]) {
  const runs = model.evalSuiteId ? await newestRuns(model.evalSuiteId, ids) : new Map();
  return new Map(
    ids.map((id) => [
      id,
      gateWithoutPolicy({ hasSuite: model.evalSuiteId !== null, own: runs.get(id) ?? null }),
    ]),
  );
}

/**
 * The version's gate. `decided` is its newest stored decision when the caller has it already
 * (null: none), undefined to read it here.
 */
export async function gateOf(
  v: VersionRow & { model: ModelRef },
  policy: GatePolicy | null,
  decided?: StoredDecision | null,
): Promise<VersionGate> {
  if (!policy) {
    const { status, failures } = (await withoutPolicy(v.model, [v.id])).get(v.id)!;
    return {
      status,
      conditions: [],
      failures,
      evidence: null,
      decidedAt: null,
      productionVersionId: null,
    };
  }
  const latest = decided === undefined ? (await latestDecisions([v.id])).get(v.id) : decided;
  if (latest) {
    const evidence = latest.evidence as VersionGate["evidence"];
    return {
      status: latest.status,
      conditions: evidence?.conditions ?? [],
      failures: evidence?.failures ?? [],
      evidence,
      decidedAt: latest.createdAt.toISOString(),
      productionVersionId: latest.productionVersionId,
    };
  }
  // Never decided yet: show what the gate would say now.
  const { evaluation, productionVersionId } = await computeGate(v, policy, v.model.evalSuiteId);
  return {
    status: evaluation.status,
    conditions: evaluation.conditions,
    failures: evaluation.failures,
    evidence: evaluation,
    decidedAt: null,
    productionVersionId,
  };
}

/** Each version's gate status, as gateOf gives it, for a table of a Model's versions. */
export async function gateStatusesOf(
  model: ModelRef,
  versions: VersionRow[],
  policy: GatePolicy | null,
): Promise<Map<string, GateStatus>> {
  const ids = versions.map((v) => v.id);
  if (!policy)
    return new Map([...(await withoutPolicy(model, ids))].map(([id, g]) => [id, g.status]));
  const decisions = await latestDecisions(ids);
  const statuses = await Promise.all(
    versions.map(async (v) => {
      const decided = decisions.get(v.id);
      if (decided) return [v.id, decided.status] as const;
      return [v.id, (await gateOf({ ...v, model }, policy, null)).status] as const;
    }),
  );
  return new Map(statuses);
}
