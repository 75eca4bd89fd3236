/**
 * Model cards, generated from data — the version, its training job and dataset lineage, its
 * evals against production and the base model, gate decisions, approvals and history — plus the
 * editable narrative (intended use, limitations, owner). JSON for the console; Markdown with
 * YAML front matter in the Hugging Face model-card style for export.
 */
import { stringify } from "yaml";
import { renderModelCardMarkdown } from "@/lib/domain/model-card";
import { statsSchema } from "@/lib/schemas/datasets";
import { type GateEvaluation, gateStatusSchema } from "@/lib/schemas/gates";
import {
  type ModelCard,
  modelCardSchema,
  updateModelCardNarrativeBodySchema,
} from "@/lib/schemas/model-cards";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import type { Prisma } from "@/lib/server/core/db";
import { db } from "@/lib/server/core/db";
import { notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { actorNamer } from "@/lib/server/teams/actor-names";
import { computeTime } from "@/lib/domain/compute-time";
import { getVersionDetail } from "./version-detail";
import { cardRouting } from "./routing-calibration";

function shares(counts: Record<string, number>): Record<string, number> {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total <= 0) return {};
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / total]));
}

/**
 * The compute time the job held, labelled by its device (lib/domain/compute-time.ts), so a card
 * for a CPU run says CPU time instead of "GPU time 0 s". Null when no attempt started.
 */
async function computeOf(
  jobId: string,
  compute: Parameters<typeof computeTime>[0] | null,
): Promise<{ device: "CPU" | "GPU"; seconds: number } | null> {
  const attempts = await db().trainingRunAttempt.findMany({
    where: { trainingJobId: jobId },
    select: { startedAt: true, finishedAt: true, status: true },
  });
  const used = computeTime(compute ?? { gpuType: "CPU", gpuCount: 1 }, attempts);
  return used && { device: used.device, seconds: Math.round(used.seconds) };
}

async function finalMetric(jobId: string, name: string): Promise<number | null> {
  const point = await db().metricPoint.findFirst({
    where: { trainingJobId: jobId, name },
    orderBy: [{ attempt: "desc" }, { step: "desc" }],
  });
  return point?.value ?? null;
}

export async function getModelCard(p: Principal, id: string): Promise<ModelCard> {
  authorize(p, "team.read");
  const detail = await getVersionDetail(p, id);
  const v = await db().modelVersion.findFirst({
    where: { id, teamId: p.teamId },
    include: { model: true, trainingJob: true },
  });
  if (!v) throw notFound("model version", id);
  const job = v.trainingJob;
  const spec = job ? createTrainingJobBodySchema.safeParse(job.spec) : null;
  const datasetVersion = job
    ? await db().datasetVersion.findUnique({
        where: { id: job.datasetVersionId },
        include: { dataset: { select: { name: true } } },
      })
    : null;
  const stats = datasetVersion ? statsSchema.safeParse(datasetVersion.stats) : null;
  const suite = v.model.evalSuiteId
    ? await db().evalSuite.findUnique({ where: { id: v.model.evalSuiteId } })
    : null;
  const siblings = await db().modelVersion.findMany({
    where: { modelId: v.modelId },
    orderBy: { version: "desc" },
    include: { promotions: { orderBy: { createdAt: "asc" } } },
  });
  const decisions = await db().gateDecision.findMany({
    where: { modelVersionId: v.id },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  const narrative = (v.narrative ?? {}) as Record<string, unknown>;
  // Whoever moved a version, by name, as the version page and the audit log name them.
  const nameOf = await actorNamer(
    p.teamId,
    siblings.flatMap((s) => s.promotions),
  );
  const card = {
    model: { id: v.model.id, name: v.model.name, description: v.model.description },
    version: {
      id: v.id,
      version: v.version,
      stage: v.stage,
      aliases: v.aliases,
      createdAt: v.createdAt.toISOString(),
      baseModel: v.baseModel,
      method: spec?.success ? spec.data.method : null,
      hyperparameters: spec?.success ? { ...spec.data.hyperparameters } : {},
      license: null,
      adapterFiles: detail.adapter?.files ?? [],
    },
    lineage: datasetVersion
      ? {
          datasetVersionId: datasetVersion.id,
          datasetName: datasetVersion.dataset.name,
          version: datasetVersion.version,
          rows: stats?.success ? stats.data.validRows : 0,
          provenance: stats?.success
            ? shares(stats.data.provenance)
            : datasetVersion.provenance
              ? { [datasetVersion.provenance.toLowerCase()]: 1 }
              : {},
          evalDatasetVersionId: job?.evalDatasetVersionId ?? null,
        }
      : null,
    training: job
      ? {
          jobId: job.id,
          trigger: job.trigger,
          gpuSeconds: job.gpuSeconds,
          compute: await computeOf(job.id, spec?.success ? spec.data.compute : null),
          costUsd: job.costUsd,
          finishedAt: job.finishedAt?.toISOString() ?? null,
          finalLoss: await finalMetric(job.id, "loss"),
          finalEvalLoss: await finalMetric(job.id, "eval_loss"),
        }
      : null,
    evals: detail.evals
      .filter((e) => e.status === "SUCCEEDED")
      .map((e) => ({
        targetKind:
          e.target.kind === "MODEL_VERSION"
            ? ("VERSION" as const)
            : e.target.kind === "PRODUCTION"
              ? ("PRODUCTION" as const)
              : e.target.kind,
        label: e.target.kind === "MODEL_VERSION" ? `v${v.version}` : e.target.label,
        suiteName: suite?.name ?? "eval suite",
        evalRunId: e.runId,
        caseCount: e.caseCount,
        metrics: e.metrics,
      })),
    routing: await cardRouting(p, v.id),
    gateStatus: detail.gate.status,
    gateFailures: detail.gate.failures,
    gate: detail.gate.evidence as GateEvaluation | null,
    decisions: decisions.map((d) => ({
      status: gateStatusSchema.safeParse(d.status).data,
      passed: d.passed,
      createdAt: d.createdAt.toISOString(),
      failures: ((d.evidence as { failures?: string[] } | null)?.failures ?? []).slice(0, 20),
    })),
    approvals: detail.approval.decisions.map((a) => ({
      decision: a.decision === "APPROVE" ? ("APPROVED" as const) : ("REJECTED" as const),
      by: a.userName,
      comment: a.comment,
      at: a.createdAt,
    })),
    history: siblings.map((s) => ({
      version: s.version,
      stage: s.stage,
      createdAt: s.createdAt.toISOString(),
      promotions: s.promotions.map((pr) => ({
        from: pr.fromStage,
        to: pr.toStage,
        by: nameOf(pr),
        at: pr.createdAt.toISOString(),
        reason: pr.reason,
      })),
    })),
    narrative: {
      intendedUse: typeof narrative.intendedUse === "string" ? narrative.intendedUse : "",
      limitations: typeof narrative.limitations === "string" ? narrative.limitations : "",
      owner: typeof narrative.owner === "string" ? narrative.owner : "",
    },
  };
  return modelCardSchema.parse(card);
}

/** The card as Markdown with YAML front matter (Hugging Face model-card style). */
/**
 * The card as Markdown with YAML front matter, and the file name a download gets: the Model's
 * name and version ("support-tools-v3-model-card.md"), reduced to characters safe in a
 * Content-Disposition header and a file system.
 */
export async function getModelCardMarkdown(
  p: Principal,
  id: string,
): Promise<{ text: string; filename: string }> {
  const card = await getModelCard(p, id);
  const { frontMatter, body } = renderModelCardMarkdown(card);
  const slug =
    card.model.name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "model";
  return {
    text: `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\n${body}`,
    filename: `${slug}-v${card.version.version}-model-card.md`,
  };
}

export async function updateModelCardNarrative(
  p: Principal,
  id: string,
  input: unknown,
): Promise<ModelCard> {
  authorize(p, "resource.write");
  const body = updateModelCardNarrativeBodySchema.parse(input);
  const v = await db().modelVersion.findFirst({ where: { id, teamId: p.teamId } });
  if (!v) throw notFound("model version", id);
  const narrative = { ...((v.narrative ?? {}) as Record<string, unknown>), ...body };
  await db().$transaction(async (tx) => {
    await tx.modelVersion.update({
      where: { id: v.id },
      data: { narrative: narrative as Prisma.InputJsonValue },
    });
    await recordAudit(
      {
        ...actorOf(p),
        action: "model-card.update",
        targetType: "model-version",
        targetId: v.id,
        metadata: { fields: Object.keys(body).join(", ") },
      },
      tx,
    );
  });
  return getModelCard(p, id);
}
