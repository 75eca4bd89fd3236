/**
 * Executing an eval run (the `evaluation` worker): generate (local generate.py or an
 * OpenAI-compatible endpoint), score, store. The gate decision that follows a terminal run belongs
 * to the registry (registry/gate-decisions.ts: afterEvalRun); the worker calls it next.
 *
 * Secrets: an endpoint's API key is never stored here, in job data, logs or errors; the target
 * names a team secret, read by the worker at run time (only for an origin the secret allows,
 * core/secret-origins.ts) and scrubbed from every error message.
 */
import path from "node:path";
import type { ToolDef } from "@/lib/domain/datasets/types";
import { aggregateRun, scoreCase, type ValidateArgs } from "@/lib/domain/scoring";
import {
  type CaseOutput,
  type CaseScores,
  type RunMetrics,
  type TokenPrices,
} from "@/lib/schemas/eval-metrics";
import { endpointTargetSchema } from "@/lib/schemas/evals";
import { artifactPath } from "@/lib/server/core/artifacts";
import { db, Prisma } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { runSlices } from "@/lib/domain/scoring/aggregate";
import { loadEvalCases } from "./cases";
import { suiteScorers, suiteScoringProfile, suiteTurns } from "./suites";
import type { EvalRunStatus } from "@/lib/server/generated/prisma/client";
import { generateViaEndpoint } from "./inference-endpoint";
import { generateLocally } from "./local-generation";
import { readSecretForUrl } from "@/lib/server/core/secret-origins";
import { createArgumentChecker } from "@/lib/server/datasets/tool-schemas";
import { MAX_NEW_TOKENS } from "./run-targets";
import { isTerminal, storedTargetSchema } from "./run-views";

const CASE_ROWS_PER_INSERT = 500;
const PROGRESS_WRITE_MS = 1_000;
const CANCEL_POLL_MS = 2_000;
const ERROR_MAX = 2_000;

export type ExecuteOptions = {
  signal: AbortSignal;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Fraction 0…1 of cases generated, for the BullMQ job's progress. */
  onProgress?: (fraction: number) => void;
};

export type ExecuteResult = {
  status: EvalRunStatus | "MISSING";
  skipped: boolean;
  /** The run has ended (now or before this delivery): what follows a terminal run may run. */
  terminal: boolean;
};

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
 * `terminal` in the result tells the caller that the run has ended — also for a redelivered job
 * of a run that was already terminal — so the gate decision that follows (idempotent) is made
 * again when a crash lost it.
 */
export async function executeEvalRun(runId: string, opts: ExecuteOptions): Promise<ExecuteResult> {
  const started = Date.now();
  const run = await db().evalRun.findUnique({ where: { id: runId }, include: { suite: true } });
  if (!run) return { status: "MISSING", skipped: true, terminal: false };
  if (isTerminal(run.status)) return { status: run.status, skipped: true, terminal: true };
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
    return { status: now?.status ?? "MISSING", skipped: true, terminal: false };
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
      // Re-checked here, not only at create time: an ADMIN may have narrowed the secret's
      // origins since, and then it must not be sent.
      apiKey = endpoint.apiKeySecret
        ? await readSecretForUrl(run.teamId, endpoint.apiKeySecret, endpoint.url)
        : null;
      outputs = await generateViaEndpoint(
        endpoint,
        apiKey,
        cases.map((c) => ({ messages: c.messages, tools: c.tools })),
        {
          onProgress,
          signal,
          maxTokens: MAX_NEW_TOKENS,
          // The run goes on without confidences; its outputs say so by carrying none.
          onLogprobsRefused: (why) =>
            opts.log("the endpoint refused logprobs; confidence is unknown for this run", {
              evalRunId: run.id,
              why: redact(why),
            }),
        },
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
    const profile = suiteScoringProfile(run.suite);
    const multiTurn = suiteTurns(run.suite) === "all";
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
        profile,
      });
      return { c, output, scores, passed: passedOf(scores, output) };
    });
    // Turn-level metrics are the case means; an "all"-turn suite also gets conversation_success
    // over its rows (aggregate.ts: a first-turn suite's conversations are single cases).
    const metrics: RunMetrics = aggregateRun(
      scored.map((s) => s.scores),
      outputs,
      {
        scorers,
        prices,
        ...(multiTurn ? { conversations: cases.map((c) => c.conversation) } : {}),
      },
    );
    if (run.targetKind !== "ENDPOINT" && scorers.includes("cost")) {
      const cost = localCostPer1k(outputs);
      if (cost !== undefined) metrics.cost_per_1k_usd = cost;
    }
    const rows = scored.map((s) => ({
      evalRunId: run.id,
      index: s.c.index,
      passed: s.passed,
      // A turn of a multi-turn suite also records which conversation and turn it is.
      input: {
        messages: s.c.messages,
        tools: s.c.tools,
        ...(multiTurn ? { conversation: s.c.conversation, turn: s.c.turn } : {}),
      } as unknown as Prisma.InputJsonValue,
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
            slices: runSlices(scored.map((s) => s.scores)) as Prisma.InputJsonValue,
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
  const now = await db().evalRun.findUnique({ where: { id: run.id }, select: { status: true } });
  return {
    status: now?.status ?? "MISSING",
    skipped: false,
    terminal: !!now && isTerminal(now.status),
  };
}

/**
 * The reconciler's sweep (docs/architecture.md, "Queues"): a QUEUED or RUNNING run whose
 * `evaluation` job failed for good (its outbox row FAILED: every attempt spent, the worker dying
 * each time) has no one left to finish it; it ends FAILED with the reason.
 */
export async function sweepAbandonedEvalRuns(): Promise<number> {
  return db().$executeRaw`
    UPDATE "EvalRun" r
    SET status = 'FAILED',
        error = left('the evaluation failed and was given up: ' || coalesce(o."lastError", 'no reason recorded'), 2000),
        "finishedAt" = now() AT TIME ZONE 'UTC'
    FROM "Outbox" o
    WHERE r.status IN ('QUEUED', 'RUNNING') AND o."jobId" = 'ev-' || r.id AND o.status = 'FAILED'`;
}
