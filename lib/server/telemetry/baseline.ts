/**
 * The reference distributions of tool_psi, intent_psi and unseen_tool_share: the tool and intent
 * mix frozen when the serving version reached PRODUCTION (docs/architecture.md, "Telemetry, drift and re-tuning"), so drift is measured
 * against what the version was promoted into, not against a moving recent past.
 */
import { db, type Prisma } from "@/lib/server/core/db";
import { readDim } from "./rollups";

/** How much traffic before a promotion makes its baseline. */
export const BASELINE_LOOKBACK_S = 7 * 86_400;

export type Baseline = {
  modelVersionId: string;
  version: number;
  windowStart: Date;
  windowEnd: Date;
  tools: Map<string, number>;
  intents: Map<string, number>;
};

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

async function freeze(
  v: { id: string; teamId: string; modelId: string },
  from: Date,
  to: Date,
): Promise<boolean> {
  const [tools, intents] = await Promise.all([
    readDim(v.modelId, "tool", from, to),
    readDim(v.modelId, "intent", from, to),
  ]);
  const samples = Math.max(total(tools), total(intents));
  if (samples === 0) return false;
  const data = {
    teamId: v.teamId,
    modelId: v.modelId,
    windowStart: from,
    windowEnd: to,
    samples,
    tools: Object.fromEntries(tools) as Prisma.InputJsonValue,
    intents: Object.fromEntries(intents) as Prisma.InputJsonValue,
  };
  // First writer wins: a baseline, once frozen, never moves.
  await db().telemetryBaseline.upsert({
    where: { modelVersionId: v.id },
    create: { modelVersionId: v.id, ...data },
    update: {},
  });
  return true;
}

/** Called when a version becomes PRODUCTION: the week of traffic before it is its baseline. */
export async function freezeBaselineAtPromotion(versionId: string, at = new Date()) {
  const v = await db().modelVersion.findUnique({ where: { id: versionId } });
  if (!v) return;
  await freeze(v, new Date(at.getTime() - BASELINE_LOOKBACK_S * 1000), at);
}

/**
 * The baseline of the Model's PRODUCTION version. A version promoted before any traffic was
 * posted gets the first full window after its promotion instead (frozen on first use), once that
 * window holds `minSamples`. Null (with why) while there is none.
 */
export async function baselineFor(
  modelId: string,
  opts: { windowSeconds: number; minSamples: number; now: Date },
): Promise<{ baseline: Baseline } | { baseline: null; reason: string }> {
  const prod = await db().modelVersion.findFirst({
    where: { modelId, stage: "PRODUCTION" },
    orderBy: { stageChangedAt: "desc" },
  });
  if (!prod) return { baseline: null, reason: "the Model has no PRODUCTION version" };
  let row = await db().telemetryBaseline.findUnique({ where: { modelVersionId: prod.id } });
  if (!row) {
    const promoted = prod.stageChangedAt;
    const after = new Date(promoted.getTime() + opts.windowSeconds * 1000);
    const frozen =
      (await freeze(prod, new Date(promoted.getTime() - BASELINE_LOOKBACK_S * 1000), promoted)) ||
      (opts.now >= after && (await freeze(prod, promoted, after)));
    if (frozen)
      row = await db().telemetryBaseline.findUnique({ where: { modelVersionId: prod.id } });
  }
  if (!row || row.samples < Math.min(opts.minSamples, 1))
    return {
      baseline: null,
      reason: `no baseline yet for v${prod.version}: no telemetry before its promotion, and the first ${opts.windowSeconds / 60} min after it are not complete`,
    };
  const asMap = (j: unknown) =>
    new Map(Object.entries((j ?? {}) as Record<string, number>).map(([k, v]) => [k, Number(v)]));
  return {
    baseline: {
      modelVersionId: prod.id,
      version: prod.version,
      windowStart: row.windowStart,
      windowEnd: row.windowEnd,
      tools: asMap(row.tools),
      intents: asMap(row.intents),
    },
  };
}
