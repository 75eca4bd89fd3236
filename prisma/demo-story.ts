/**
 * The demo's story, played for real by the product's own pipeline (`npm run demo` starts it
 * beside the worker after the seed; the PM-journey e2e runs it against its own database):
 *
 *   1. the engineer uploads the training set (validated by the worker), builds a held-out suite,
 *      registers the Model with a gate, and launches v1 on the tiny base;
 *   2. the worker trains v1, evaluates it against its base, decides the gate and promotes it to
 *      PRODUCTION (the policy auto-promotes while the Model is new);
 *   3. the team then asks for a PM's sign-off before production and sets a quarterly re-tune;
 *   4. production posts two weeks of telemetry (tool-call errors climb over the last two days) and
 *      opted-in traces; a drift monitor breaches and opens one DRIFT retrain, which builds a
 *      dataset from the traces, trains v2, evaluates it against production and decides its gate;
 *   5. v2 waits for the PM's approval: the console shows the whole loop, and the PM's part is left
 *      to a person.
 *
 * Nothing here writes a result: every version, run, decision and check comes from the worker.
 * Idempotent and resumable: each step first looks at what the database holds, so a demo stopped
 * half-way continues where it was. Exits 0 when v2 is decided, 1 when a step failed (its reason
 * printed), so the console shows the honest state either way.
 */
import { demoTelemetryEvents } from "@/test/fixtures/demo-telemetry";
import { learnableToolJsonlText } from "@/test/fixtures/tool-call-rows";
import { createEvalSuiteBodySchema } from "@/lib/schemas/evals";
import type { GatePolicyInput } from "@/lib/schemas/gates";
import { TRAINING_PRESETS } from "@/lib/schemas/training-jobs";
import { db, disconnectDb } from "@/lib/server/core/db";
import { type Principal, systemPrincipal } from "@/lib/server/core/principal";
import { bus } from "@/lib/server/core/queues";
import { createDataset, uploadVersion } from "@/lib/server/datasets/datasets";
import { createEvalSuite } from "@/lib/server/evals/suites";
import { createModel, updateModel } from "@/lib/server/registry/models";
import { runCheck } from "@/lib/server/retraining/monitor-checks";
import { createMonitor } from "@/lib/server/retraining/monitors";
import { putRetrainPolicy } from "@/lib/server/retraining/retrain-policies";
import { ingestTelemetry } from "@/lib/server/telemetry/ingest";
import { ingestTraces } from "@/lib/server/telemetry/traces";
import { launchTrainingJob } from "@/lib/server/training/launch";
import { DEMO } from "./demo";

const TRAINING_ROWS = 240;
const TRACE_ROWS = 200;
const STEP_TIMEOUT_MS = 30 * 60_000;

/**
 * While the Model is new: a passing gate promotes on its own. The bar is well above the bare
 * base model (0: it never emits a parsable call) with margin for a CPU-sized run's spread.
 */
const LAUNCH_POLICY: GatePolicyInput = {
  conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: 0.3 }],
  minCases: 20,
  autoPromoteTo: "PRODUCTION",
};
/** Once in production: no regression against production, and a PM signs off. */
const REVIEW_POLICY: GatePolicyInput = {
  conditions: [
    { metric: "tool_call_accuracy", op: ">=", threshold: 0.3 },
    { metric: "tool_call_accuracy", op: ">=", threshold: -0.15, relativeTo: "production" },
  ],
  minCases: 20,
  requireApproval: true,
  approverRoles: ["OWNER", "ADMIN"],
};

const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ t: new Date().toISOString(), story: msg, ...fields }));

class StoryStopped extends Error {}

/** Polls `check` every 2 s until it returns a value; says what it waits for every 30 s. */
async function until<T>(what: string, check: () => Promise<T | null | undefined>): Promise<T> {
  const started = Date.now();
  let said = 0;
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined) return v;
    const waited = Date.now() - started;
    if (waited > STEP_TIMEOUT_MS) throw new StoryStopped(`gave up waiting for ${what}`);
    if (waited - said >= 30_000) {
      said = waited;
      log(`waiting for ${what}`, { seconds: Math.round(waited / 1000) });
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

async function principals(): Promise<{ engineer: Principal; system: Principal }> {
  const user = await db().user.findUnique({ where: { email: DEMO.email } });
  const team = await db().team.findUnique({ where: { slug: DEMO.slug } });
  if (!user || !team) throw new StoryStopped("no demo team: run `npm run db:seed` first");
  return {
    engineer: {
      teamId: team.id,
      actor: { kind: "user", role: "OWNER" },
      userId: user.id,
      apiKeyId: null,
      ip: null,
    },
    system: systemPrincipal(team.id),
  };
}

const post = (path: string, body: unknown) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** 1. The training set, uploaded like any upload and validated by the worker. */
async function trainingSet(p: Principal): Promise<string> {
  let dataset = await db().dataset.findFirst({
    where: { teamId: p.teamId, name: DEMO.trainingDataset },
  });
  if (!dataset) {
    const created = await createDataset(p, {
      name: DEMO.trainingDataset,
      description: "Tool calls of the support agent as production logged them (demo data).",
    });
    await uploadVersion(p, created.id, {
      body: new Blob([learnableToolJsonlText(TRAINING_ROWS)]).stream(),
      contentType: "application/x-ndjson",
      query: {
        format: "auto",
        evalFraction: 0.15,
        provenance: "production_traces",
        baseModel: "retune/tiny-chat",
      },
    });
    log("training set uploaded", { rows: TRAINING_ROWS });
    dataset = await db().dataset.findFirstOrThrow({ where: { id: created.id } });
  }
  const version = await until("the worker to validate the training set", () =>
    db().datasetVersion.findFirst({
      where: { datasetId: dataset.id, status: { not: "VALIDATING" } },
      orderBy: { version: "asc" },
    }),
  );
  if (version.status !== "READY")
    throw new StoryStopped(`the training set is ${version.status}: ${version.error ?? ""}`);
  return version.id;
}

/** 1. The suite (the set's held-out split) and the Model with its launch-time gate. */
async function modelWithGate(p: Principal, datasetVersionId: string) {
  const suite =
    (await db().evalSuite.findFirst({ where: { teamId: p.teamId, name: DEMO.suite } })) ??
    (await createEvalSuite(
      p,
      createEvalSuiteBodySchema.parse({ name: DEMO.suite, datasetVersionId, split: "eval" }),
    ));
  const existing = await db().model.findFirst({
    where: { teamId: p.teamId, name: DEMO.model },
    include: { _count: { select: { versions: true } } },
  });
  // A Model left by an older demo seed (no suite, no versions) joins the story as it is now.
  if (existing && !existing.evalSuiteId && existing._count.versions === 0)
    await updateModel(p, existing.id, { evalSuiteId: suite.id, gatePolicy: LAUNCH_POLICY });
  if (existing) return db().model.findUniqueOrThrow({ where: { id: existing.id } });
  await createModel(p, {
    name: DEMO.model,
    description: "Turns a support request into the right tool call (demo).",
    evalSuiteId: suite.id,
    gatePolicy: LAUNCH_POLICY,
  });
  log("model registered with its gate", { model: DEMO.model });
  return db().model.findFirstOrThrow({ where: { teamId: p.teamId, name: DEMO.model } });
}

/** 1–2. v1: launched by the engineer, trained, evaluated, gated and promoted by the worker. */
async function firstVersionInProduction(p: Principal, modelId: string, datasetVersionId: string) {
  const serving = await db().modelVersion.findFirst({ where: { modelId, stage: "PRODUCTION" } });
  if (serving) return serving;
  const preset = TRAINING_PRESETS["tiny-cpu-demo"];
  const job = await launchTrainingJob(
    p,
    {
      model: modelId,
      datasetVersionId,
      baseModel: preset.baseModel,
      method: preset.method,
      backend: "PEFT",
      executor: "LOCAL",
      hyperparameters: { ...preset.hyperparameters },
      compute: { gpuType: "CPU", gpuCount: 1 },
    },
    { idempotencyKey: "demo-story-v1" },
  );
  log("v1 launched", { trainingJobId: job.id });
  const done = await until("v1 to train", async () => {
    const j = await db().trainingJob.findUniqueOrThrow({ where: { id: job.id } });
    return j.status === "SUCCEEDED" || j.status === "FAILED" || j.status === "CANCELLED" ? j : null;
  });
  if (done.status !== "SUCCEEDED")
    throw new StoryStopped(`v1's training ${done.status}: ${done.error ?? ""}`);
  const version = await db().modelVersion.findUniqueOrThrow({ where: { trainingJobId: job.id } });
  log("v1 trained; the worker evaluates it and decides its gate", { version: version.version });
  return until("v1's gate and promotion", async () => {
    const v = await db().modelVersion.findUniqueOrThrow({ where: { id: version.id } });
    if (v.stage === "PRODUCTION") return v;
    const decision = await db().gateDecision.findFirst({
      where: { modelVersionId: v.id },
      orderBy: { createdAt: "desc" },
    });
    if (decision?.status === "FAILED")
      throw new StoryStopped(`v1's gate failed: ${JSON.stringify(decision.evidence)}`);
    return null;
  });
}

/** 3. In production now: a PM signs off every next version, and it re-tunes quarterly. */
async function reviewAndRetune(p: Principal, modelId: string) {
  const policy = await db().gatePolicy.findUnique({ where: { modelId } });
  if (!(policy?.policy as { requireApproval?: boolean } | null)?.requireApproval) {
    await updateModel(p, modelId, { gatePolicy: REVIEW_POLICY });
    log("gate now asks for a PM's approval");
  }
  if (!(await db().retrainPolicy.findUnique({ where: { modelId } }))) {
    await putRetrainPolicy(p, modelId, {
      datasetRecipe: { days: 30, minTraces: 50 },
      autoPromote: false,
    });
    log("quarterly re-tune set");
  }
}

/** 4. Production's signals, posted through the same ingest as any agent. */
async function productionSignals(system: Principal, modelId: string) {
  const now = Date.now();
  // The monitor looks at the last hours: signals posted by an earlier run of the story (or an
  // older seed) long ago say nothing about now, so post again when none is recent.
  const recent = await db().telemetryRollup.findFirst({
    where: { modelId, minute: { gte: new Date(now - 6 * 3_600_000) } },
  });
  if (recent) return;
  const run = new Date(now).toISOString().slice(0, 16);
  // Two weeks of calls, tool-call errors climbing over the last two days, about one call in
  // eight escalated to the frontier, each priced from the seeded list prices (see the fixture).
  const events = demoTelemetryEvents(DEMO.model, now, run);
  const traces = learnableToolJsonlText(TRACE_ROWS, 23)
    .trim()
    .split("\n")
    .map((line, i) => {
      const row = JSON.parse(line) as { messages: { role: string }[] };
      // One call in ten failed in production and a reviewer corrected it: the trace carries the
      // corrected conversation and, as `originalMessages`, what the model first answered (a
      // reply without the tool call), so the console shows the two side by side.
      const corrected =
        i % 10 === 0
          ? {
              correctedBy: "human",
              originalMessages: [
                ...row.messages.slice(0, -1),
                {
                  role: "assistant",
                  content: "Sorry, I can't look that up right now. Please try again later.",
                },
              ],
            }
          : {};
      return {
        id: `demo-trace-${run}-${i}`,
        timestamp: new Date(now - i * 7 * 60_000).toISOString(),
        model: DEMO.model,
        ...row,
        outcome: i % 10 === 0 ? "failure" : "success",
        ...corrected,
      };
    });
  await ingestTraces(system, post("/api/v1/traces", { traces }));
  await ingestTelemetry(system, post("/api/v1/telemetry", { events }));
  log("production telemetry and traces posted", { events: events.length, traces: traces.length });
}

/** 4. The drift monitor: the worker's scheduler checks it; the breach opens one DRIFT retrain. */
async function driftRetrain(p: Principal, modelId: string) {
  let monitor = await db().driftMonitor.findFirst({ where: { modelId, action: "retrain" } });
  if (!monitor) {
    const created = await createMonitor(p, {
      model: DEMO.model,
      name: "Tool-call errors",
      metric: "tool_call_error_rate",
      window: "6h",
      threshold: 0.1,
      minSamples: 50,
      cooldown: "1d",
      action: "retrain",
    });
    monitor = await db().driftMonitor.findUniqueOrThrow({ where: { id: created.id } });
    log("drift monitor on tool-call errors created");
  }
  const monitorId = monitor.id;
  const since = Date.now();
  return until("the drift monitor to breach and open a retrain", async () => {
    const r = await db().retrainRequest.findFirst({
      where: { modelId, trigger: "DRIFT" },
      orderBy: { createdAt: "asc" },
    });
    if (r) return r;
    // The scheduler fires at once when the monitor is created; if this worker's scheduler is
    // late, check as the monitor page's "Check now" does.
    const checks = await db().driftCheck.count({ where: { monitorId } });
    if (!checks && Date.now() - since > 90_000) await runCheck(monitorId, { source: "manual" });
    return null;
  });
}

/** 4–5. The retrain's dataset, job, evaluation and gate, all the worker's. */
async function secondVersionDecided(retrainId: string) {
  const launched = await until("the retrain's dataset and job", async () => {
    const r = await db().retrainRequest.findUniqueOrThrow({ where: { id: retrainId } });
    if (r.status === "FAILED" || r.status === "SKIPPED")
      throw new StoryStopped(`the retrain ${r.status}: ${r.error ?? r.reason}`);
    return r.status === "LAUNCHED" && r.trainingJobId ? r.trainingJobId : null;
  });
  log("DRIFT retrain launched v2", { trainingJobId: launched });
  const version = await until("v2 to train", async () => {
    const j = await db().trainingJob.findUniqueOrThrow({
      where: { id: launched },
      include: { modelVersion: true },
    });
    if (j.status === "FAILED" || j.status === "CANCELLED")
      throw new StoryStopped(`v2's training ${j.status}: ${j.error ?? ""}`);
    return j.status === "SUCCEEDED" ? j.modelVersion : null;
  });
  const decision = await until("v2's gate", () =>
    db().gateDecision.findFirst({
      where: { modelVersionId: version.id, status: { in: ["PASSED", "FAILED"] } },
      orderBy: { createdAt: "desc" },
    }),
  );
  log(
    decision.status === "PASSED"
      ? "v2 passed its gate and awaits a PM's approval"
      : "v2's gate failed; the console shows why",
    { version: version.version, gate: decision.status },
  );
}

async function main(): Promise<number> {
  try {
    const { engineer, system } = await principals();
    const datasetVersionId = await trainingSet(engineer);
    const model = await modelWithGate(engineer, datasetVersionId);
    const v1 = await firstVersionInProduction(engineer, model.id, datasetVersionId);
    log("v1 serves in production", { version: v1.version });
    await reviewAndRetune(engineer, model.id);
    await productionSignals(system, model.id);
    const retrain = await driftRetrain(engineer, model.id);
    await secondVersionDecided(retrain.id);
    log("complete");
    return 0;
  } catch (e) {
    if (!(e instanceof StoryStopped)) throw e;
    log("stopped", { reason: e.message });
    return 1;
  }
}

const code = await main();
await bus().close();
await disconnectDb();
process.exit(code);
