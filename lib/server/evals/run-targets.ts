/**
 * What an eval run evaluates, and its identity. A target (a model version's adapter, a base model,
 * the production version, an OpenAI-compatible endpoint) resolves to a `key`; a run's `inputHash`
 * covers everything its results depend on — the suite's dataset version, split and scorers, the
 * target key, the prices and the generation settings — so identical work is found and reused.
 */
import { createHash } from "node:crypto";
import { findBaseModel } from "@/lib/domain/base-models";
import { type EndpointTarget } from "@/lib/schemas/evals";
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { checkOutboundUrl } from "@/lib/server/core/outbound";
import { checkSecretForUrl } from "@/lib/server/core/secret-origins";
import { suiteScorers, suiteScoringProfile, suiteTurns } from "./suites";
import { HttpError, notFound } from "@/lib/server/core/errors";
import type { EvalSuite as SuiteRow, EvalTargetKind } from "@/lib/server/generated/prisma/client";
import { type StoredTarget } from "./run-views";

/** Bumped when what a run's results depend on changes in a way the hash does not capture. */
const HASH_VERSION = 2; // 2: eval cases take the first tool-calling turn as reference
/** Longest completion generated per case (local generation and endpoints alike). */
export const MAX_NEW_TOKENS = 128;

export type ResolvedTarget = {
  kind: EvalTargetKind;
  key: string;
  target: StoredTarget;
  modelVersionId: string | null;
};

export const invalid = (path: string, message: string) =>
  new HttpError(422, "invalid", `${path}: ${message}`, [{ path, message }]);

export async function modelVersionTarget(
  teamId: string,
  id: string,
  kind: "MODEL_VERSION" | "PRODUCTION",
): Promise<ResolvedTarget> {
  const v = await db().modelVersion.findFirst({
    where: { id, teamId },
    include: { model: { select: { name: true } } },
  });
  if (!v) throw notFound("model version", id);
  if (!v.adapterUri)
    throw invalid(
      "target.modelVersionId",
      `model version ${id} has no adapter artifact to evaluate`,
    );
  const label = `${v.model.name} v${v.version}${kind === "PRODUCTION" ? " (production)" : ""}`;
  return {
    kind,
    // The same key for MODEL_VERSION and PRODUCTION: one version, one set of results.
    key: `model-version:${v.id}`,
    target: { label, modelVersionId: v.id, baseModel: v.baseModel, adapterUri: v.adapterUri },
    modelVersionId: v.id,
  };
}

export function baseModelTarget(id: string): ResolvedTarget {
  const m = findBaseModel(id);
  if (!m) throw invalid("target.baseModel", `${id} is not in the base-model catalogue`);
  if (!m.arch)
    throw invalid(
      "target.baseModel",
      `${id} is a token-counting entry that retune cannot load; evaluate it through an endpoint target`,
    );
  return {
    kind: "BASE_MODEL",
    key: `base-model:${m.id}`,
    target: { label: `${m.name} (base)`, baseModel: m.id },
    modelVersionId: null,
  };
}

export async function endpointTarget(
  teamId: string,
  endpoint: EndpointTarget,
): Promise<ResolvedTarget> {
  const url = new URL(endpoint.url);
  if (url.username || url.password)
    throw invalid(
      "target.endpoint.url",
      "the URL carries credentials; store the key as a team secret and name it in apiKeySecret",
    );
  // Loopback, private and metadata addresses are refused unless RETUNE_OUTBOUND_ALLOW admits
  // them (checked again at connect time by core/outbound.ts).
  await checkOutboundUrl(endpoint.url, "target.endpoint.url");
  // The key goes only where an ADMIN allowed it (checked again by the worker before sending).
  if (endpoint.apiKeySecret)
    await checkSecretForUrl(
      teamId,
      endpoint.apiKeySecret,
      endpoint.url,
      "target.endpoint.apiKeySecret",
    );
  const base = endpoint.url.replace(/\/+$/, "");
  return {
    kind: "ENDPOINT",
    key: `endpoint:${base}#${endpoint.model}`,
    target: { label: `${endpoint.model} @ ${url.host}`, endpoint: { ...endpoint, url: base } },
    modelVersionId: null,
  };
}

/**
 * Generation settings that change a run's outputs or metrics, hence part of its identity.
 * `logprobs`: outputs carry token log-probabilities (routing calibration), so a run made before
 * they were kept is not reused for one that would have them.
 */
function generationSettings(kind: EvalTargetKind): Record<string, number | string | boolean> {
  if (kind === "ENDPOINT")
    return { via: "endpoint", maxTokens: MAX_NEW_TOKENS, temperature: 0, logprobs: true };
  const e = env();
  return {
    via: "local",
    logprobs: true,
    maxNewTokens: MAX_NEW_TOKENS,
    batchSize: e.EVAL_LOCAL_BATCH_SIZE,
    servingUsdPerHour: e.EVAL_SERVING_USD_PER_HOUR,
  };
}

function sortedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortedJson(v)]),
    );
  return value;
}

/**
 * sha256 over (dataset version, split, scorers, scoring profile, turns, target, prices,
 * generation settings).
 */
export function evalInputHash(suite: SuiteRow, target: ResolvedTarget): string {
  const input = {
    v: HASH_VERSION,
    datasetVersionId: suite.datasetVersionId,
    split: suite.split,
    scorers: [...suiteScorers(suite)].sort(),
    // How calls are judged and which turns are cases change the results as much as the data.
    scoringProfile: suiteScoringProfile(suite),
    turns: suiteTurns(suite),
    targetKey: target.key,
    prices: target.target.endpoint?.prices ?? null,
    generation: generationSettings(target.kind),
  };
  return createHash("sha256")
    .update(JSON.stringify(sortedJson(input)))
    .digest("hex");
}
