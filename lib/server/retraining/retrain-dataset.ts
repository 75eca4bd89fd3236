/**
 * A retrain's dataset, by the policy's recipe (lib/schemas/retrain.ts): recent production traces
 * that went well or were corrected, newest first, optionally mixed with rows of a base dataset
 * version's train side whose synthetic share is capped. The result is JSONL in the chat/tool-calling format
 * that uploads use; it is then uploaded and validated like any upload.
 */
import type { DatasetRecipe } from "@/lib/schemas/retrain";
import { loadVersionById } from "@/lib/server/datasets/datasets";
import { db } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import { readTraceBodies } from "@/lib/server/telemetry/traces";
import { traceRowJson } from "@/lib/server/telemetry/trace-rows";
import { readTrainRows } from "@/lib/server/training/data";

export type RetrainRows = {
  lines: string[];
  traceCount: number;
  baseRows: number;
  /** The provenance the new version declares. */
  provenance: "production_traces" | "mixed";
  /** Share of the rows that came from a synthetic base dataset. */
  syntheticShare: number;
};

/** Traces the recipe takes (newest first, at most maxTraces). */
export function recipeWhere(teamId: string, modelId: string, recipe: DatasetRecipe, now: Date) {
  return {
    teamId,
    modelId,
    timestamp: { gte: new Date(now.getTime() - recipe.days * 86_400_000), lte: now },
    OR: [
      ...(recipe.outcomes.length ? [{ outcome: { in: recipe.outcomes } }] : []),
      ...(recipe.correctedBy.length ? [{ correctedBy: { in: recipe.correctedBy } }] : []),
    ],
  };
}

export async function countRecipeTraces(
  teamId: string,
  modelId: string,
  recipe: DatasetRecipe,
  now: Date,
  since?: Date,
): Promise<number> {
  const where = recipeWhere(teamId, modelId, recipe, now);
  if (!where.OR.length) return 0;
  return db().trace.count({
    where: since ? { ...where, createdAt: { gt: since } } : where,
  });
}

export async function buildRetrainRows(
  teamId: string,
  modelId: string,
  recipe: DatasetRecipe,
  now: Date,
): Promise<RetrainRows> {
  const where = recipeWhere(teamId, modelId, recipe, now);
  const traceRows = where.OR.length
    ? await db().trace.findMany({
        where,
        orderBy: { timestamp: "desc" },
        take: recipe.maxTraces,
        select: { storageUri: true, offset: true, length: true },
      })
    : [];
  const traces = await readTraceBodies(traceRows);
  const lines = traces.map(traceRowJson);
  let baseRows = 0;
  let synthetic = 0;
  if (recipe.baseDatasetVersionId) {
    const base = await loadVersionById(recipe.baseDatasetVersionId).catch(() => null);
    if (!base || base.teamId !== teamId)
      throw new HttpError(
        422,
        "invalid",
        `datasetRecipe.baseDatasetVersionId: dataset version ${recipe.baseDatasetVersionId} does not exist in this team`,
      );
    if (base.status !== "READY")
      throw new HttpError(
        422,
        "invalid",
        `datasetRecipe.baseDatasetVersionId: dataset version ${base.id} is ${base.status}, not READY`,
      );
    const isSynthetic = base.provenance === "SYNTHETIC";
    // Synthetic rows may be at most maxSyntheticShare of the whole: s / (t + s) ≤ share.
    const share = recipe.maxSyntheticShare;
    const cap = isSynthetic
      ? share >= 1
        ? Infinity
        : Math.floor((share * lines.length) / (1 - share))
      : Infinity;
    // The base's train side only: its eval rows may be the suite the new candidate is gated on.
    await readTrainRows(base, (row) => {
      if (baseRows >= cap) return;
      lines.push(row);
      baseRows++;
    });
    if (isSynthetic) synthetic = baseRows;
  }
  return {
    lines,
    traceCount: traces.length,
    baseRows,
    provenance: baseRows > 0 ? "mixed" : "production_traces",
    syntheticShare: lines.length ? synthetic / lines.length : 0,
  };
}
