/**
 * Creating eval runs: a suite evaluated against one target (a model version's adapter, a base model, the
 * production version, or an OpenAI-compatible endpoint), executed by the `evaluation` worker.
 *
 * Identity and reuse: a run's `inputHash` covers everything its results depend on — the suite's
 * dataset version, split and scorers, the target (`targetKey`), the prices and the generation
 * settings. Unless `force` is set, creating a run whose suite and inputHash match a SUCCEEDED
 * run, or one still QUEUED/RUNNING, returns that run (`reusedFrom` names it) instead of paying
 * for the same inference twice. A PRODUCTION run of a version has the same targetKey as a
 * MODEL_VERSION run of it, so the candidate-time results of today's production version are reused.
 *
 * Secrets: an endpoint's API key is never stored here, in job data, logs or errors; the target
 * names a team secret, read by the worker at run time and scrubbed from every error message.
 */
import { type CreateEvalRunBody, createEvalRunBodySchema, type EvalRun } from "@/lib/schemas/evals";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import type { Prisma } from "@/lib/server/core/db";
import { db, type Tx } from "@/lib/server/core/db";
import { loadEvalSuite } from "./suites";
import { HttpError } from "@/lib/server/core/errors";
import type {
  EvalRun as RunRow,
  EvalSuite as SuiteRow,
} from "@/lib/server/generated/prisma/client";
import { dispatchNow, enqueueInTx } from "@/lib/server/core/outbox";
import type { Principal } from "@/lib/server/core/principal";
import { bus } from "@/lib/server/core/queues";
import {
  type ResolvedTarget,
  modelVersionTarget,
  baseModelTarget,
  endpointTarget,
  evalInputHash,
} from "./run-targets";
import { toEvalRun, withSuite } from "./run-views";

type CreateArgs = {
  suite: SuiteRow;
  target: ResolvedTarget;
  force: boolean;
  createdById: string | null;
  audit: ReturnType<typeof actorOf> | { teamId: string };
  trigger: string;
};

type CreateResult = {
  row: RunRow & { suite: { name: string; scoringProfile: string; turns: string } };
  created: boolean;
};

async function createOrReuse(args: CreateArgs): Promise<CreateResult> {
  const { suite, target } = args;
  const inputHash = evalInputHash(suite, target);
  const result = await db().$transaction(async (tx: Tx) => {
    // Two identical requests at once must not both start a run: serialize on (suite, hash).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`retune:eval:${suite.id}:${inputHash}`}))`;
    if (!args.force) {
      const existing = await tx.evalRun.findFirst({
        where: {
          suiteId: suite.id,
          inputHash,
          status: { in: ["SUCCEEDED", "QUEUED", "RUNNING"] },
        },
        orderBy: { createdAt: "desc" },
        include: withSuite,
      });
      if (existing) return { row: existing, created: false };
    }
    const row = await tx.evalRun.create({
      data: {
        teamId: suite.teamId,
        suiteId: suite.id,
        targetKind: target.kind,
        target: target.target as Prisma.InputJsonValue,
        targetKey: target.key,
        modelVersionId: target.modelVersionId,
        inputHash,
        createdById: args.createdById,
      },
      include: withSuite,
    });
    await enqueueInTx(tx, "evaluation", { evalRunId: row.id });
    await recordAudit(
      {
        ...args.audit,
        action: "eval-run.create",
        targetType: "eval-run",
        targetId: row.id,
        metadata: {
          suiteId: suite.id,
          targetKind: target.kind,
          target: target.target.label,
          trigger: args.trigger,
          force: args.force,
        },
      },
      tx,
    );
    return { row, created: true };
  });
  if (result.created) await dispatchNow(bus(), "evaluation", { evalRunId: result.row.id });
  return result;
}

export type CreateEvalRunResult = { run: EvalRun; created: boolean };

/**
 * POST /eval-runs. Returns the new run (created: true), or the identical run it reuses
 * (created: false, `reusedFrom` set to that run's id) unless `force`.
 */
export async function createEvalRun(
  p: Principal,
  input: CreateEvalRunBody,
  opts: { trigger?: string } = {},
): Promise<CreateEvalRunResult> {
  authorize(p, "resource.write");
  const body = createEvalRunBodySchema.parse(input);
  const suite = await loadEvalSuite(p, body.suiteId);
  const t = body.target;
  const target =
    "modelVersionId" in t
      ? await modelVersionTarget(p.teamId, t.modelVersionId, "MODEL_VERSION")
      : "baseModel" in t
        ? baseModelTarget(t.baseModel)
        : await endpointTarget(p.teamId, t.endpoint);
  const { row, created } = await createOrReuse({
    suite,
    target,
    force: body.force,
    createdById: p.userId,
    audit: actorOf(p),
    trigger: opts.trigger ?? (p.actor.kind === "apiKey" ? "API" : "MANUAL"),
  });
  return { run: toEvalRun(row, created ? undefined : row.id), created };
}

export type EvaluateVersionResult = {
  suiteId: string | null;
  /** The candidate's run (MODEL_VERSION). */
  candidate: string | null;
  /** The run of the candidate's base model (BASE_MODEL). */
  base: string | null;
  /** The run of the Model's current PRODUCTION version, when there is one other than this. */
  production: string | null;
};

/**
 * Server-side (no principal): evaluates a newly registered version on its Model's suite — the
 * version itself, its base model, and the current production version (whose earlier results are
 * reused when its inputs have not changed). Does nothing when the Model has no suite. Throws
 * when the version does not exist; a target that cannot be evaluated (a version without an
 * adapter) is left out (null) rather than failing the others.
 */
export async function evaluateVersion(
  modelVersionId: string,
  opts: { trigger?: string } = {},
): Promise<EvaluateVersionResult> {
  const version = await db().modelVersion.findUnique({
    where: { id: modelVersionId },
    include: { model: { include: { evalSuite: true } } },
  });
  if (!version) throw new Error(`model version ${modelVersionId} does not exist`);
  const suite = version.model.evalSuite;
  const none = { suiteId: null, candidate: null, base: null, production: null };
  if (!suite || suite.teamId !== version.teamId) return none;
  const trigger = opts.trigger ?? "CANDIDATE";
  const run = async (target: ResolvedTarget | null) =>
    target
      ? (
          await createOrReuse({
            suite,
            target,
            force: false,
            createdById: null,
            audit: { teamId: version.teamId },
            trigger,
          })
        ).row.id
      : null;
  const orNull = async (f: () => Promise<ResolvedTarget> | ResolvedTarget) => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof HttpError) return null;
      throw e;
    }
  };
  const candidate = await run(
    await orNull(() => modelVersionTarget(version.teamId, version.id, "MODEL_VERSION")),
  );
  const base = await run(await orNull(() => baseModelTarget(version.baseModel)));
  const prod = await db().modelVersion.findFirst({
    where: { modelId: version.modelId, stage: "PRODUCTION", id: { not: version.id } },
    orderBy: { stageChangedAt: "desc" },
  });
  const production = prod
    ? await run(await orNull(() => modelVersionTarget(version.teamId, prod.id, "PRODUCTION")))
    : null;
  return { suiteId: suite.id, candidate, base, production };
}

/**
 * Server-side: a fresh ("canary") run of a Model's PRODUCTION version on its suite, even when
 * an identical finished run exists — a drift monitor's eval_score reads these over time.
 * Returns the run id, or null when the Model has no suite or the version cannot be evaluated.
 */
export async function startCanaryEval(modelVersionId: string): Promise<string | null> {
  const version = await db().modelVersion.findUnique({
    where: { id: modelVersionId },
    include: { model: { include: { evalSuite: true } } },
  });
  const suite = version?.model.evalSuite;
  if (!version || !suite || suite.teamId !== version.teamId) return null;
  let target: ResolvedTarget;
  try {
    target = await modelVersionTarget(version.teamId, version.id, "PRODUCTION");
  } catch (e) {
    if (e instanceof HttpError) return null;
    throw e;
  }
  const { row } = await createOrReuse({
    suite,
    target,
    force: true,
    createdById: null,
    audit: { teamId: version.teamId },
    trigger: "CANARY",
  });
  return row.id;
}
