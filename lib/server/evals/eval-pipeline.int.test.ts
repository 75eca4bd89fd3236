/**
 * Evaluation beyond a single run: the `evaluation` worker consuming its queue, evaluateVersion
 * queueing a version's candidate, base and production runs, and real local generation of the
 * tiny base model through trainers/generate.py.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTinyBase, startWorker, workerOutput } from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";
import {
  API_KEY,
  artifactDir,
  endpoint,
  evalRows,
  execute,
  p,
  setUpEvals,
  suiteId,
  tearDownEvals,
  uploadRows,
} from "./eval-fixtures";

const { db } = await import("@/lib/server/core/db");
const { createEvalSuite } = await import("./suites");
const { createEvalRun, evaluateVersion } = await import("./create-runs");
const { getEvalRun, listEvalCases } = await import("./read-runs");

beforeAll(setUpEvals);
afterAll(tearDownEvals);

describe("the evaluation worker", () => {
  it("consumes the evaluation queue: a run created through the outbox finishes", async () => {
    const worker = startWorker({ ARTIFACT_DIR: artifactDir, WORKER_QUEUES: "outbox,evaluation" });
    try {
      const { run } = await createEvalRun(p, { suiteId, target: endpoint(), force: true });
      const done = await waitFor(
        `eval run ${run.id} to finish (worker output: ${workerOutput(worker).slice(-500)})`,
        async () => {
          const r = await getEvalRun(p, run.id);
          return r.status === "SUCCEEDED" || r.status === "FAILED" ? r : null;
        },
        45_000,
      );
      expect(done).toMatchObject({ status: "SUCCEEDED", caseCount: 12 });
      expect(done.metrics.tool_call_accuracy).toBeCloseTo(7 / 12, 10);
      expect(workerOutput(worker)).not.toContain(API_KEY);
    } finally {
      const exited = new Promise((r) => worker.once("exit", r));
      worker.kill("SIGTERM");
      await exited;
    }
  });
});

describe("evaluateVersion", () => {
  it("evaluates a candidate, its base and the production version, reusing production's results", async () => {
    const model = await db().model.create({
      data: { teamId: p.teamId, name: "tool caller", evalSuiteId: suiteId },
    });
    const mk = (version: number, stage: "CANDIDATE" | "PRODUCTION") =>
      db().modelVersion.create({
        data: {
          teamId: p.teamId,
          modelId: model.id,
          version,
          stage,
          baseModel: "retune/tiny-chat",
          adapterUri: `artifact:models/${model.id}/v${version}`,
        },
      });
    const prod = await mk(1, "CANDIDATE");
    const first = await evaluateVersion(prod.id, { trigger: "TRAINING" });
    expect(first.suiteId).toBe(suiteId);
    expect(first.production).toBeNull();
    // Version 1 passed and went to production.
    await db().evalRun.update({ where: { id: first.candidate! }, data: { status: "SUCCEEDED" } });
    await db().modelVersion.update({ where: { id: prod.id }, data: { stage: "PRODUCTION" } });

    const candidate = await mk(2, "CANDIDATE");
    const second = await evaluateVersion(candidate.id);
    expect(second.candidate).not.toBe(first.candidate);
    expect(second.base).toBe(first.base); // still queued: joined, not duplicated
    expect(second.production).toBe(first.candidate); // same inputs: results reused
    const runs = await db().evalRun.findMany({ where: { modelVersionId: candidate.id } });
    expect(runs.map((r) => r.targetKind)).toEqual(["MODEL_VERSION"]);

    const bare = await db().model.create({ data: { teamId: p.teamId, name: "no suite" } });
    const v = await db().modelVersion.create({
      data: { teamId: p.teamId, modelId: bare.id, version: 1, baseModel: "retune/tiny-chat" },
    });
    expect(await evaluateVersion(v.id)).toEqual({
      suiteId: null,
      candidate: null,
      base: null,
      production: null,
    });
  });
});

describe("local generation", () => {
  it(
    "evaluates the tiny base model for real with trainers/generate.py",
    { timeout: 300_000 },
    async () => {
      await ensureTinyBase();
      const small = await uploadRows(
        p,
        evalRows().filter((_, i) => i % 2 === 0),
      );
      const suite = await createEvalSuite(p, {
        name: "tiny local",
        datasetVersionId: small,
        split: "all",
        scorers: [
          "tool_call",
          "json_validity",
          "schema_validity",
          "exact_match",
          "latency",
          "cost",
        ],
      });
      const { run } = await createEvalRun(p, {
        suiteId: suite.id,
        target: { baseModel: "retune/tiny-chat" },
        force: false,
      });
      const result = await execute(run.id);
      const done = await getEvalRun(p, run.id);
      expect(done.error).toBeNull();
      expect(result.status).toBe("SUCCEEDED");
      expect(done).toMatchObject({
        caseCount: 6,
        casesDone: 6,
        target: { kind: "BASE_MODEL", baseModel: "retune/tiny-chat" },
      });
      expect(done.metrics.tool_call_accuracy).toBeGreaterThanOrEqual(0);
      expect(done.metrics.latency_p50_ms).toBeGreaterThan(0);
      expect(done.metrics.cost_per_1k_usd).toBeGreaterThan(0);
      expect(done.metrics.completion_tokens_per_call).toBeGreaterThan(0);
      const page = await listEvalCases(p, run.id, {});
      expect(page.cases).toHaveLength(6);
      for (const c of page.cases) expect(c.output.error).toBeUndefined();
    },
  );
});
