/**
 * Eval runs: a suite evaluated against one target (a model version's adapter, a base model, the
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
import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { findBaseModel } from "@/lib/domain/base-models";
import type { ToolDef } from "@/lib/domain/datasets/types";
import { aggregateRun, scoreCase, type ValidateArgs } from "@/lib/domain/scoring";
import {
  type CaseOutput,
  type CaseScores,
  type RunMetrics,
  runMetricsSchema,
  type TokenPrices,
} from "@/lib/schemas/eval-metrics";
import type { evalCasesQuerySchema } from "@/lib/schemas/evals";
import {
  type CreateEvalRunBody,
  createEvalRunBodySchema,
  type EndpointTarget,
  endpointTargetSchema,
  type EvalCase,
  evalCaseSchema,
  type EvalRun,
  type EvalRunListQuery,
  evalRunListQuerySchema,
  type EvalTargetView,
} from "@/lib/schemas/evals";
import { artifactPath } from "@/lib/server/core/artifacts";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db, Prisma, type Tx } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { loadEvalCases } from "./cases";
import { loadEvalSuite, suiteScorers } from "./suites";
import { conflict, HttpError, notFound } from "@/lib/server/core/errors";
import { afterEvalRun } from "@/lib/server/registry/gate-decisions";
import type {
  EvalRun as RunRow,
  EvalSuite as SuiteRow,
  EvalTargetKind,
  EvalRunStatus,
} from "@/lib/server/generated/prisma/client";
import { generateViaEndpoint } from "./inference-endpoint";
import { generateLocally } from "./local-generation";
import { dispatchNow, enqueueInTx } from "@/lib/server/core/outbox";
import type { Principal } from "@/lib/server/core/principal";
import { bus } from "@/lib/server/core/queues";
import { readSecret } from "@/lib/server/core/secrets";
import { createArgumentChecker } from "@/lib/server/datasets/tool-schemas";

/** Bumped when what a run's results depend on changes in a way the hash does not capture. */
const HASH_VERSION = 2; // 2: eval cases take the first tool-calling turn as reference
/** Longest completion generated per case (local generation and endpoints alike). */
const MAX_NEW_TOKENS = 128;
const CASE_ROWS_PER_INSERT = 500;
const PROGRESS_WRITE_MS = 1_000;
const CANCEL_POLL_MS = 2_000;
const ERROR_MAX = 2_000;

const TERMINAL: readonly EvalRunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** What a run's `target` JSON column holds: display and execution facts, never a key. */
const storedTargetSchema = z.object({
  label: z.string(),
  modelVersionId: z.string().optional(),
  baseModel: z.string().optional(),
  adapterUri: z.string().nullable().optional(),
  endpoint: endpointTargetSchema.optional(),
});
type StoredTarget = z.infer<typeof storedTargetSchema>;

type ResolvedTarget = {
  kind: EvalTargetKind;
  key: string;
  target: StoredTarget;
  modelVersionId: string | null;
};

const invalid = (path: string, message: string) =>
  new HttpError(422, "invalid", `${path}: ${message}`, [{ path, message }]);

// ---------------------------------------------------------------------------------------------
// Views

function isTerminal(status: EvalRunStatus): boolean {
  return TERMINAL.includes(status);
}

function targetView(row: Pick<RunRow, "targetKind" | "target" | "modelVersionId">): EvalTargetView {
  const parsed = storedTargetSchema.safeParse(row.target);
  const t: Partial<StoredTarget> = parsed.success ? parsed.data : {};
  return {
    kind: row.targetKind,
    label: t.label ?? row.targetKind.toLowerCase(),
    modelVersionId: row.modelVersionId ?? t.modelVersionId ?? null,
    baseModel: t.baseModel ?? null,
    endpoint: t.endpoint ? { url: t.endpoint.url, model: t.endpoint.model } : null,
  };
}

export function toEvalRun(row: RunRow & { suite: { name: string } }, reusedFrom?: string): EvalRun {
  const metrics = runMetricsSchema.safeParse(row.metrics ?? {});
  const progress =
    row.status === "SUCCEEDED"
      ? 1
      : row.caseCount > 0
        ? Math.min(1, Math.max(0, row.casesDone / row.caseCount))
        : 0;
  return {
    id: row.id,
    suiteId: row.suiteId,
    suiteName: row.suite.name,
    status: row.status,
    target: targetView(row),
    metrics: metrics.success ? metrics.data : {},
    caseCount: row.caseCount,
    casesDone: row.casesDone,
    progress,
    error: row.error,
    reusedFrom: reusedFrom ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

const withSuite = { suite: { select: { name: true } } } as const;

// ---------------------------------------------------------------------------------------------
// Targets and identity

async function modelVersionTarget(
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

function baseModelTarget(id: string): ResolvedTarget {
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

async function endpointTarget(teamId: string, endpoint: EndpointTarget): Promise<ResolvedTarget> {
  const url = new URL(endpoint.url);
  if (url.username || url.password)
    throw invalid(
      "target.endpoint.url",
      "the URL carries credentials; store the key as a team secret and name it in apiKeySecret",
    );
  if (endpoint.apiKeySecret) {
    const secret = await db().teamSecret.findUnique({
      where: { teamId_name: { teamId, name: endpoint.apiKeySecret } },
      select: { id: true },
    });
    if (!secret)
      throw invalid(
        "target.endpoint.apiKeySecret",
        `secret "${endpoint.apiKeySecret}" does not exist in this team; set it with PUT /api/v1/secrets/${endpoint.apiKeySecret}`,
      );
  }
  const base = endpoint.url.replace(/\/+$/, "");
  return {
    kind: "ENDPOINT",
    key: `endpoint:${base}#${endpoint.model}`,
    target: { label: `${endpoint.model} @ ${url.host}`, endpoint: { ...endpoint, url: base } },
    modelVersionId: null,
  };
}

/** Generation settings that change a run's outputs or metrics, hence part of its identity. */
function generationSettings(kind: EvalTargetKind): Record<string, number | string> {
  if (kind === "ENDPOINT") return { via: "endpoint", maxTokens: MAX_NEW_TOKENS, temperature: 0 };
  const e = env();
  return {
    via: "local",
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

/** sha256 over (dataset version, split, scorers, target, prices, generation settings). */
function evalInputHash(suite: SuiteRow, target: ResolvedTarget): string {
  const input = {
    v: HASH_VERSION,
    datasetVersionId: suite.datasetVersionId,
    split: suite.split,
    scorers: [...suiteScorers(suite)].sort(),
    targetKey: target.key,
    prices: target.target.endpoint?.prices ?? null,
    generation: generationSettings(target.kind),
  };
  return createHash("sha256")
    .update(JSON.stringify(sortedJson(input)))
    .digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Creating runs

type CreateArgs = {
  suite: SuiteRow;
  target: ResolvedTarget;
  force: boolean;
  createdById: string | null;
  audit: ReturnType<typeof actorOf> | { teamId: string };
  trigger: string;
};

type CreateResult = { row: RunRow & { suite: { name: string } }; created: boolean };

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

// ---------------------------------------------------------------------------------------------
// Reading runs

async function loadRun(p: Principal, id: string) {
  const row = await db().evalRun.findFirst({ where: { id, teamId: p.teamId }, include: withSuite });
  if (!row) throw notFound("eval run", id);
  return row;
}

export async function getEvalRun(p: Principal, id: string): Promise<EvalRun> {
  authorize(p, "team.read");
  return toEvalRun(await loadRun(p, id));
}

export async function listEvalRuns(
  p: Principal,
  query: Partial<EvalRunListQuery> = {},
): Promise<EvalRun[]> {
  authorize(p, "team.read");
  const q = evalRunListQuerySchema.parse(query);
  if (q.suiteId) await loadEvalSuite(p, q.suiteId);
  if (q.modelVersionId) {
    const v = await db().modelVersion.findFirst({
      where: { id: q.modelVersionId, teamId: p.teamId },
      select: { id: true },
    });
    if (!v) throw notFound("model version", q.modelVersionId);
  }
  const rows = await db().evalRun.findMany({
    where: {
      teamId: p.teamId,
      ...(q.suiteId ? { suiteId: q.suiteId } : {}),
      ...(q.modelVersionId ? { modelVersionId: q.modelVersionId } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: q.limit,
    include: withSuite,
  });
  return rows.map((r) => toEvalRun(r));
}

/** A page of a run's cases in index order; `failed` lists only the cases that did not pass. */
export async function listEvalCases(
  p: Principal,
  id: string,
  query: Partial<z.output<typeof evalCasesQuerySchema>> = {},
): Promise<{ cases: EvalCase[]; nextAfter: number | null }> {
  authorize(p, "team.read");
  const q = {
    failed: query.failed ?? false,
    after: query.after ?? -1,
    limit: Math.min(500, Math.max(1, query.limit ?? 100)),
  };
  const run = await loadRun(p, id);
  const rows = await db().evalCaseResult.findMany({
    where: { evalRunId: run.id, index: { gt: q.after }, ...(q.failed ? { passed: false } : {}) },
    orderBy: { index: "asc" },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    cases: page.map((r) =>
      evalCaseSchema.parse({
        index: r.index,
        passed: r.passed,
        input: r.input,
        expected: r.expected,
        output: r.output,
        scores: r.scores,
      }),
    ),
    nextAfter: rows.length > q.limit ? page.at(-1)!.index : null,
  };
}

/** Stops a QUEUED or RUNNING run; the worker notices within a couple of seconds. */
export async function cancelEvalRun(p: Principal, id: string): Promise<EvalRun> {
  authorize(p, "resource.write");
  const run = await loadRun(p, id);
  const moved = await db().$transaction(async (tx) => {
    const { count } = await tx.evalRun.updateMany({
      where: { id: run.id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
    if (count)
      await recordAudit(
        {
          ...actorOf(p),
          action: "eval-run.cancel",
          targetType: "eval-run",
          targetId: run.id,
          metadata: { suiteId: run.suiteId },
        },
        tx,
      );
    return count;
  });
  if (!moved)
    throw conflict(
      `eval run ${id} is ${run.status}; only a queued or running run can be cancelled`,
    );
  return toEvalRun(await loadRun(p, id));
}

// ---------------------------------------------------------------------------------------------
// Executing runs (the `evaluation` worker)

export type ExecuteOptions = {
  signal: AbortSignal;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Fraction 0…1 of cases generated, for the BullMQ job's progress. */
  onProgress?: (fraction: number) => void;
};

export type ExecuteResult = { status: EvalRunStatus | "MISSING"; skipped: boolean };

class RunCancelled extends Error {
  constructor() {
    super("the eval run was cancelled");
  }
}

/**
 * Local targets have no token prices: their cost is the serving time their calls took, priced
 * at EVAL_SERVING_USD_PER_HOUR. generate.py reports each row's latency as its batch's wall time,
 * so one call's share of the hardware is latency / batch size; cost_per_1k_usd is the mean of
 * that share × price per ms × 1000. (Partial last batches are slightly under-counted.)
 */
function localCostPer1k(outputs: readonly CaseOutput[]): number | undefined {
  const latencies = outputs.map((o) => o.latencyMs).filter((v): v is number => v !== null);
  if (latencies.length === 0) return undefined;
  const e = env();
  const meanShareMs =
    latencies.reduce((a, b) => a + b, 0) / latencies.length / e.EVAL_LOCAL_BATCH_SIZE;
  return (meanShareMs / 3_600_000) * e.EVAL_SERVING_USD_PER_HOUR * 1000;
}

/** Calls `write` with the latest value at most once per `everyMs`; `flush` writes what is left. */
function throttled(write: (n: number) => Promise<void>, everyMs: number) {
  let last = 0;
  let pending: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  const fire = () => {
    timer = undefined;
    if (pending === null) return;
    const n = pending;
    pending = null;
    last = Date.now();
    chain = chain.then(() => write(n)).catch(() => {});
  };
  return {
    push(n: number) {
      pending = n;
      if (timer) return;
      timer = setTimeout(fire, Math.max(0, last + everyMs - Date.now()));
    },
    async flush() {
      if (timer) clearTimeout(timer);
      fire();
      await chain;
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = null;
    },
  };
}

function createValidateArgs(): ValidateArgs {
  const check = createArgumentChecker();
  return (parameters, args) =>
    check([{ function: { name: "t", parameters } }], "t", (args ?? {}) as Record<string, unknown>);
}

function passedOf(scores: CaseScores, output: CaseOutput): boolean {
  return output.error === undefined && Object.values(scores.scores).every((s) => s === 1);
}

/**
 * Runs one eval run to a terminal status. Guarded QUEUED → RUNNING; a run already terminal is
 * skipped. A redelivered job for a RUNNING run (its worker died or shut down mid-run) runs it
 * again from scratch: generation is not resumable, and its case rows are written only together
 * with SUCCEEDED, so nothing partial survives (any stray rows are deleted first anyway).
 * On the job's abort (worker shutdown) it rethrows so the runtime hands the job back; on
 * cancellation (status moved to CANCELLED) it stops generation and returns. Any other failure
 * marks the run FAILED with an error that names the cause and never contains the API key.
 * After a terminal status, afterEvalRun (gate decisions) runs — also for a redelivered job of a
 * run that is already terminal, so a gate decision lost to a crash is made again (afterEvalRun
 * must be idempotent).
 */
export async function executeEvalRun(runId: string, opts: ExecuteOptions): Promise<ExecuteResult> {
  const started = Date.now();
  const run = await db().evalRun.findUnique({ where: { id: runId }, include: { suite: true } });
  if (!run) return { status: "MISSING", skipped: true };
  if (isTerminal(run.status)) {
    await afterEvalRun(run.id);
    return { status: run.status, skipped: true };
  }
  const claimed = await db().$transaction(async (tx) => {
    const { count } = await tx.evalRun.updateMany({
      where: { id: run.id, status: run.status },
      data: {
        status: "RUNNING",
        startedAt: new Date(),
        casesDone: 0,
        error: null,
        metrics: Prisma.DbNull,
      },
    });
    if (count) await tx.evalCaseResult.deleteMany({ where: { evalRunId: run.id } });
    return count > 0;
  });
  if (!claimed) {
    const now = await db().evalRun.findUnique({ where: { id: run.id } });
    return { status: now?.status ?? "MISSING", skipped: true };
  }
  if (run.status === "RUNNING")
    opts.log("eval run redelivered; running it again", { evalRunId: run.id });

  const cancel = new AbortController();
  const signal = AbortSignal.any([opts.signal, cancel.signal]);
  const stillRunning = async () => {
    const r = await db().evalRun.findUnique({ where: { id: run.id }, select: { status: true } });
    if (r?.status !== "RUNNING") cancel.abort(new RunCancelled());
  };
  const poll = setInterval(() => void stillRunning().catch(() => {}), CANCEL_POLL_MS);
  poll.unref();
  const progress = throttled(async (done) => {
    const { count } = await db().evalRun.updateMany({
      where: { id: run.id, status: "RUNNING" },
      data: { casesDone: done },
    });
    if (!count) cancel.abort(new RunCancelled());
  }, PROGRESS_WRITE_MS);

  let apiKey: string | null = null;
  const redact = (s: string) => (apiKey ? s.split(apiKey).join("[redacted]") : s);
  try {
    const version = await db().datasetVersion.findFirst({
      where: { id: run.suite.datasetVersionId, teamId: run.teamId },
    });
    if (!version)
      throw new Error(`the suite's dataset version ${run.suite.datasetVersionId} no longer exists`);
    const { cases, skipped } = await loadEvalCases(run.suite, version);
    if (cases.length === 0)
      throw new Error(
        `the suite has no cases: dataset version ${version.id} has no usable rows in its "${run.suite.split}" split` +
          (skipped[0]
            ? ` (${skipped.length} skipped; line ${skipped[0].line}: ${skipped[0].error})`
            : ""),
      );
    await db().evalRun.updateMany({
      where: { id: run.id, status: "RUNNING" },
      data: { caseCount: cases.length },
    });
    opts.log("eval run started", {
      evalRunId: run.id,
      targetKind: run.targetKind,
      cases: cases.length,
      skipped: skipped.length,
    });
    const onProgress = (done: number, total: number) => {
      progress.push(Math.min(done, cases.length));
      opts.onProgress?.(total > 0 ? done / total : 0);
    };
    const target = storedTargetSchema.parse(run.target);
    let outputs: CaseOutput[];
    let prices: TokenPrices | null = null;
    if (run.targetKind === "ENDPOINT") {
      const endpoint = endpointTargetSchema.parse(target.endpoint);
      prices = endpoint.prices ?? null;
      apiKey = endpoint.apiKeySecret ? await readSecret(run.teamId, endpoint.apiKeySecret) : null;
      outputs = await generateViaEndpoint(
        endpoint,
        apiKey,
        cases.map((c) => ({ messages: c.messages, tools: c.tools })),
        { onProgress, signal, maxTokens: MAX_NEW_TOKENS },
      );
    } else {
      let baseModel: string;
      let adapterDir: string | null = null;
      if (run.targetKind === "BASE_MODEL") {
        if (!target.baseModel) throw new Error("the run's target names no base model");
        baseModel = target.baseModel;
      } else {
        const v = run.modelVersionId
          ? await db().modelVersion.findUnique({ where: { id: run.modelVersionId } })
          : null;
        if (!v) throw new Error(`model version ${target.modelVersionId ?? "?"} no longer exists`);
        if (!v.adapterUri) throw new Error(`model version ${v.id} has no adapter artifact`);
        baseModel = v.baseModel;
        adapterDir = artifactPath(v.adapterUri);
      }
      outputs = await generateLocally({
        baseModel,
        adapterDir: adapterDir ? path.resolve(adapterDir) : null,
        cases: cases.map((c) => ({ messages: c.messages, tools: c.tools })),
        onProgress,
        signal,
        batchSize: env().EVAL_LOCAL_BATCH_SIZE,
        maxNewTokens: MAX_NEW_TOKENS,
      });
    }
    progress.stop();
    if (outputs.length !== cases.length)
      throw new Error(`the target returned ${outputs.length} outputs for ${cases.length} cases`);

    const scorers = suiteScorers(run.suite);
    const validateArgs = createValidateArgs();
    const scored = cases.map((c, i) => {
      const output = outputs[i]!;
      const scores = scoreCase({
        expected: c.expected,
        output,
        tools: c.tools as ToolDef[],
        slice: c.slice,
        scorers,
        validateArgs,
      });
      return { c, output, scores, passed: passedOf(scores, output) };
    });
    const metrics: RunMetrics = aggregateRun(
      scored.map((s) => s.scores),
      outputs,
      { scorers, prices },
    );
    if (run.targetKind !== "ENDPOINT" && scorers.includes("cost")) {
      const cost = localCostPer1k(outputs);
      if (cost !== undefined) metrics.cost_per_1k_usd = cost;
    }
    const rows = scored.map((s) => ({
      evalRunId: run.id,
      index: s.c.index,
      passed: s.passed,
      input: { messages: s.c.messages, tools: s.c.tools } as unknown as Prisma.InputJsonValue,
      expected: s.c.expected as unknown as Prisma.InputJsonValue,
      output: JSON.parse(redact(JSON.stringify(s.output))) as Prisma.InputJsonValue,
      scores: s.scores as unknown as Prisma.InputJsonValue,
    }));
    await db().$transaction(
      async (tx) => {
        // Moving the status first locks the row: a concurrent cancel waits, then finds it done.
        const { count } = await tx.evalRun.updateMany({
          where: { id: run.id, status: "RUNNING" },
          data: {
            status: "SUCCEEDED",
            metrics: metrics as Prisma.InputJsonValue,
            casesDone: cases.length,
            caseCount: cases.length,
            finishedAt: new Date(),
            error: null,
          },
        });
        if (!count) throw new RunCancelled();
        await tx.evalCaseResult.deleteMany({ where: { evalRunId: run.id } });
        for (let i = 0; i < rows.length; i += CASE_ROWS_PER_INSERT)
          await tx.evalCaseResult.createMany({ data: rows.slice(i, i + CASE_ROWS_PER_INSERT) });
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
    opts.log("eval run succeeded", {
      evalRunId: run.id,
      cases: cases.length,
      passed: scored.filter((s) => s.passed).length,
      ms: Date.now() - started,
    });
  } catch (e) {
    progress.stop();
    if (opts.signal.aborted && !cancel.signal.aborted) throw e; // shutdown: hand the job back
    if (e instanceof RunCancelled || cancel.signal.aborted) {
      opts.log("eval run stopped", { evalRunId: run.id });
    } else {
      const message = redact(e instanceof Error ? e.message : String(e)).slice(0, ERROR_MAX);
      await db().evalRun.updateMany({
        where: { id: run.id, status: "RUNNING" },
        data: { status: "FAILED", error: message, finishedAt: new Date() },
      });
      opts.log("eval run failed", { evalRunId: run.id, error: message, ms: Date.now() - started });
    }
  } finally {
    clearInterval(poll);
    progress.stop();
  }
  // Outside the try: a failing gate decision fails the job (BullMQ retries it, and the retry
  // of a terminal run only re-runs afterEvalRun), never the run it is about.
  const now = await db().evalRun.findUnique({ where: { id: run.id }, select: { status: true } });
  if (now && isTerminal(now.status)) await afterEvalRun(run.id);
  return { status: now?.status ?? "MISSING", skipped: false };
}
