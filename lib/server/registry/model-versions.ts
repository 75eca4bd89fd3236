/** Model versions as registered by training (the registry workflow builds on these). */
import { BASE_MODELS } from "@/lib/domain/base-models";
import type { ModelVersion } from "@/lib/schemas/training-jobs";
import { z } from "zod";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { notFound } from "@/lib/server/core/errors";
import type { ModelVersion as ModelVersionRow } from "@/lib/server/generated/prisma/client";
import type { Principal } from "@/lib/server/core/principal";

const filesSchema = z.array(z.object({ name: z.string(), bytes: z.number() }));

type VersionWithModel = ModelVersionRow & { model: { name: string } };

/** The API shape of a version row (with its Model's name). */
export function toModelVersion(v: VersionWithModel): ModelVersion {
  const files = filesSchema.safeParse(v.adapterFiles);
  return {
    id: v.id,
    modelId: v.modelId,
    modelName: v.model.name,
    version: v.version,
    stage: v.stage,
    aliases: v.aliases,
    baseModel: v.baseModel,
    trainingJobId: v.trainingJobId,
    adapter: v.adapterUri ? { uri: v.adapterUri, files: files.success ? files.data : [] } : null,
    createdAt: v.createdAt.toISOString(),
  };
}

export async function getModelVersion(p: Principal, id: string): Promise<ModelVersion> {
  authorize(p, "team.read");
  const v = await db().modelVersion.findFirst({
    where: { id, teamId: p.teamId },
    include: { model: { select: { name: true } } },
  });
  if (!v) throw notFound("model version", id);
  return toModelVersion(v);
}

/** The fine-tunable catalogue (token-counting-only entries are left out). */
export async function listBaseModels(p: Principal) {
  authorize(p, "team.read");
  return {
    models: BASE_MODELS.filter((m) => m.arch).map((m) => ({
      id: m.id,
      name: m.name,
      family: m.family,
      paramsB: m.paramsB,
      contextLength: m.contextLength,
      license: m.license,
      loraTargets: [...m.loraTargets],
      exactTokenizer: m.tokenizer !== "estimate",
    })),
  };
}
