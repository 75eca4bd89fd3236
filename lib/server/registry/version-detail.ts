/**
 * The version page's data, read for a principal of the version's team: its evals (its own run,
 * production's and the base model's), gate, approval, promotions and servability by vLLM.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { checkVllmServable, vllmServeSnippet } from "@/lib/domain/vllm-compat";
import type { GatePolicy } from "@/lib/schemas/gates";
import { type ModelVersionDetail, type VersionEval } from "@/lib/schemas/models";
import { artifactPath } from "@/lib/server/core/artifacts";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { notFound } from "@/lib/server/core/errors";
import { toEvalRun } from "@/lib/server/evals/run-views";
import { actorNamer, personNamer } from "@/lib/server/teams/actor-names";
import type { ModelVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { toModelVersion } from "./model-versions";
import type { Principal } from "@/lib/server/core/principal";
import { ANY_APPROVER, approvalOf, policyOf } from "./registry-state";
import { gateOf } from "./gate-view";

/** vLLM accepts ranks up to 512 with the right --max-lora-rank; the snippet names the value. */
const VLLM_RANK_CEILING = 512;

export async function loadVersion(p: Principal, id: string) {
  const v = await db().modelVersion.findFirst({
    where: { id, teamId: p.teamId },
    include: {
      model: { include: { gatePolicy: true } },
      trainingJob: { select: { createdById: true } },
    },
  });
  if (!v) throw notFound("model version", id);
  return v;
}

export type Loaded = Awaited<ReturnType<typeof loadVersion>>;

async function adapterConfigOf(v: Pick<VersionRow, "adapterUri">): Promise<unknown> {
  if (!v.adapterUri) return null;
  try {
    const text = await readFile(
      path.join(artifactPath(v.adapterUri), "adapter_config.json"),
      "utf8",
    );
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export async function servabilityOf(v: Loaded) {
  if (!v.adapterUri) return null;
  const config = await adapterConfigOf(v);
  const check = checkVllmServable(config ?? "missing", { maxLoraRank: VLLM_RANK_CEILING });
  const loraName = `${v.model.name.replace(/[^\w.-]+/g, "-")}-v${v.version}`;
  return {
    servable: check.servable,
    problems: config === null ? ["adapter_config.json is missing or unreadable"] : check.problems,
    rank: check.rank,
    maxLoraRank: check.maxLoraRankNeeded,
    snippet: vllmServeSnippet({
      baseModel: v.baseModel,
      loraName,
      adapterPath: artifactPath(v.adapterUri),
      maxLoraRank: check.maxLoraRankNeeded,
    }),
  };
}

/** The version's own run, production's and the base model's, newest each, on the suite. */
async function evalsOf(v: Loaded): Promise<VersionEval[]> {
  const suiteId = v.model.evalSuiteId;
  if (!suiteId) return [];
  const production = await db().modelVersion.findFirst({
    where: { modelId: v.modelId, stage: "PRODUCTION", id: { not: v.id } },
    select: { id: true },
  });
  const include = { suite: { select: { name: true, scoringProfile: true, turns: true } } } as const;
  const newest = (where: object) =>
    db().evalRun.findFirst({
      where: { suiteId, ...where },
      orderBy: { createdAt: "desc" },
      include,
    });
  const rows = await Promise.all([
    newest({ modelVersionId: v.id }),
    production ? newest({ modelVersionId: production.id }) : Promise.resolve(null),
    newest({ targetKind: "BASE_MODEL", targetKey: `base-model:${v.baseModel}` }),
  ]);
  const [own, prod, base] = rows.map((r) => (r ? toEvalRun(r) : null));
  const view = (run: NonNullable<typeof own>, kind = run.target.kind): VersionEval => ({
    runId: run.id,
    status: run.status,
    target: { ...run.target, kind },
    metrics: run.metrics,
    caseCount: run.caseCount,
    progress: run.progress,
  });
  return [
    own ? view(own) : null,
    // A run of the production version made when it was a candidate still shows as production.
    prod ? view(prod, "PRODUCTION") : null,
    base ? view(base) : null,
  ].filter((e): e is VersionEval => e !== null);
}

async function approvalView(v: Loaded, policy: GatePolicy | null) {
  const rows = await db().approval.findMany({
    where: { modelVersionId: v.id },
    orderBy: { createdAt: "asc" },
  });
  const nameOf = await personNamer(rows.map((r) => r.userId));
  const { required, status } = approvalOf(policy, rows);
  return {
    required,
    status,
    approverRoles: policy?.approverRoles ?? ANY_APPROVER,
    launcherMayApprove: !policy?.approverMustDifferFromLauncher,
    decisions: rows.map((r) => ({
      decision: r.decision,
      userId: r.userId,
      userName: nameOf(r.userId),
      role: r.role,
      comment: r.comment,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

async function promotionsOf(teamId: string, versionId: string) {
  const rows = await db().promotion.findMany({
    where: { modelVersionId: versionId },
    orderBy: { createdAt: "desc" },
  });
  const actorOf = await actorNamer(teamId, rows);
  return rows.map((r) => ({
    fromStage: r.fromStage,
    toStage: r.toStage,
    kind: r.kind,
    override: r.override,
    reason: r.reason,
    actor: actorOf(r),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function getVersionDetail(p: Principal, id: string): Promise<ModelVersionDetail> {
  authorize(p, "team.read");
  const v = await loadVersion(p, id);
  const base = toModelVersion(v);
  const policy = policyOf(v.model.gatePolicy);
  const [evals, gate, approval, promotions, servability] = await Promise.all([
    evalsOf(v),
    gateOf(v, policy),
    approvalView(v, policy),
    promotionsOf(v.teamId, v.id),
    servabilityOf(v),
  ]);
  return { ...base, evals, gate, approval, promotions, servability };
}
