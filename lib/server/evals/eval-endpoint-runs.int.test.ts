/**
 * Eval runs against an OpenAI-compatible endpoint (a fake vLLM speaking the real HTTP protocol,
 * since no GPU runs here) on real PostgreSQL and the outbox: scored from known answers, reused or
 * joined, cancelled, team-scoped, run again when redelivered, and failed with a cause. Runs are
 * executed in-process with the function the `evaluation` worker calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTinyBase } from "@/test/training-helpers";
import {
  API_KEY,
  endpoint,
  execute,
  fake,
  logs,
  other,
  p,
  setUpEvals,
  suiteId,
  tearDownEvals,
  WRONG,
  WRONG_KEY,
} from "./eval-fixtures";

const { db } = await import("@/lib/server/core/db");
const { createEvalRun } = await import("./create-runs");
const { cancelEvalRun, getEvalRun, listEvalCases, listEvalRuns } = await import("./read-runs");

beforeAll(setUpEvals);
afterAll(tearDownEvals);

describe("eval runs against an OpenAI-compatible endpoint", () => {
  let runId: string;

  it("scores every case from known answers and stores per-case results", async () => {
    const { run, created } = await createEvalRun(p, { suiteId, target: endpoint(), force: false });
    expect(created).toBe(true);
    expect(run).toMatchObject({
      status: "QUEUED",
      target: { kind: "ENDPOINT", endpoint: { model: "support-lora" } },
    });
    runId = run.id;
    expect(await db().outbox.findUnique({ where: { jobId: `ev-${run.id}` } })).not.toBeNull();

    expect(await execute(run.id)).toMatchObject({ status: "SUCCEEDED" });
    const done = await getEvalRun(p, run.id);
    expect(done).toMatchObject({
      status: "SUCCEEDED",
      caseCount: 12,
      casesDone: 12,
      progress: 1,
      error: null,
    });
    // 7 of 12 right: 4 weather + 2 orders + the plain greeting.
    expect(done.metrics.tool_call_accuracy).toBeCloseTo(7 / 12, 10);
    expect(done.metrics.json_validity).toBeLessThan(1);
    expect(done.metrics.latency_p50_ms).toBeGreaterThanOrEqual(0);
    expect(done.metrics.latency_p95_ms).toBeGreaterThanOrEqual(done.metrics.latency_p50_ms!);
    expect(done.metrics.cost_per_1k_usd).toBeGreaterThan(0);
    expect(done.metrics.prompt_tokens_per_call).toBeGreaterThan(0);

    // Every request went to the adapter by name, with the key only in the header.
    expect(fake.requests.length).toBe(12);
    for (const r of fake.requests) {
      expect(r.authorization).toBe(`Bearer ${API_KEY}`);
      expect(r.body?.model).toBe("support-lora");
      expect(r.body?.tools).toHaveLength(2);
    }
    expect(fake.maxInFlight).toBeLessThanOrEqual(3);

    const all = await listEvalCases(p, run.id, { limit: 5 });
    expect(all.cases.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    expect(all.nextAfter).toBe(4);
    const next = await listEvalCases(p, run.id, { after: all.nextAfter!, limit: 100 });
    expect(next.cases[0]!.index).toBe(5);
    expect(next.nextAfter).toBeNull();
    const first = all.cases[0]!;
    expect(first).toMatchObject({
      passed: true,
      expected: { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
      output: { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
      scores: {
        scores: { tool_call_accuracy: 1 },
        slice: { tool: "get_weather", intent: "weather" },
      },
    });
    expect(first.input.messages).toEqual([
      { role: "user", content: "What is the weather in Paris?" },
    ]);

    const failed = await listEvalCases(p, run.id, { failed: true });
    expect(failed.cases.map((c) => c.index)).toEqual(WRONG);
    const oslo = failed.cases.find((c) => c.index === 4)!;
    expect(oslo.scores.reasons.tool_call_accuracy).toMatch(/city/);
    const malformed = failed.cases.find((c) => c.index === 9)!;
    expect(malformed.output.toolCalls).toBeNull();

    const row = await db().evalRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(JSON.stringify(row)).not.toContain(API_KEY);
    expect(row.target).toMatchObject({ endpoint: { apiKeySecret: "vllm-key" } });
    const caseRows = await db().evalCaseResult.findMany({ where: { evalRunId: run.id } });
    expect(caseRows).toHaveLength(12);
    expect(JSON.stringify(caseRows)).not.toContain(API_KEY);
  });

  it("reuses an identical finished run unless forced; a rejected key fails the run without leaking it", async () => {
    const again = await createEvalRun(p, { suiteId, target: endpoint(), force: false });
    expect(again.created).toBe(false);
    expect(again.run).toMatchObject({ id: runId, reusedFrom: runId, status: "SUCCEEDED" });
    expect(await db().evalRun.count({ where: { suiteId } })).toBe(1);

    const forced = await createEvalRun(p, { suiteId, target: endpoint("stale-key"), force: true });
    expect(forced.created).toBe(true);
    expect(forced.run.id).not.toBe(runId);
    expect(await execute(forced.run.id)).toMatchObject({ status: "FAILED" });
    const failed = await db().evalRun.findUniqueOrThrow({ where: { id: forced.run.id } });
    expect(failed.error).toMatch(/401/);
    expect(JSON.stringify(failed)).not.toContain(WRONG_KEY);
    expect(logs.join("\n")).not.toContain(WRONG_KEY);
    expect(logs.join("\n")).not.toContain(API_KEY);

    // Listing: newest first, filterable by suite.
    const runs = await listEvalRuns(p, { suiteId });
    expect(runs.map((r) => r.id)).toEqual([forced.run.id, runId]);
  });

  it("refuses an endpoint whose key secret does not exist, naming the field", async () => {
    await expect(
      createEvalRun(p, { suiteId, target: endpoint("nope"), force: false }),
    ).rejects.toMatchObject({ status: 422, issues: [{ path: "target.endpoint.apiKeySecret" }] });
  });

  it("joins an identical queued run, and cancels it", async () => {
    const a = await createEvalRun(p, {
      suiteId,
      target: { baseModel: "retune/tiny-chat" },
      force: false,
    });
    const b = await createEvalRun(p, {
      suiteId,
      target: { baseModel: "retune/tiny-chat" },
      force: false,
    });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, run: { id: a.run.id, status: "QUEUED" } });
    expect((await cancelEvalRun(p, a.run.id)).status).toBe("CANCELLED");
    await expect(cancelEvalRun(p, a.run.id)).rejects.toMatchObject({ status: 409 });
    expect(await execute(a.run.id)).toMatchObject({ status: "CANCELLED", skipped: true });
  });

  it("is team-scoped: another team's suite, version and run ids are 404s naming them", async () => {
    await expect(getEvalRun(other, runId)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(runId),
    });
    await expect(listEvalCases(other, runId, {})).rejects.toMatchObject({ status: 404 });
    await expect(cancelEvalRun(other, runId)).rejects.toMatchObject({ status: 404 });
    await expect(
      createEvalRun(other, { suiteId, target: { baseModel: "retune/tiny-chat" }, force: false }),
    ).rejects.toMatchObject({ status: 404, message: expect.stringContaining(suiteId) });
    await expect(listEvalRuns(other, { suiteId })).rejects.toMatchObject({ status: 404 });
    expect(await listEvalRuns(other)).toEqual([]);
    const model = await db().model.create({ data: { teamId: other.teamId, name: "theirs" } });
    const theirs = await db().modelVersion.create({
      data: {
        teamId: other.teamId,
        modelId: model.id,
        version: 1,
        baseModel: "retune/tiny-chat",
        adapterUri: "artifact:models/x/v1",
      },
    });
    await expect(
      createEvalRun(p, { suiteId, target: { modelVersionId: theirs.id }, force: false }),
    ).rejects.toMatchObject({ status: 404, message: expect.stringContaining(theirs.id) });
  });
});

describe("redelivery and failures", () => {
  it("runs a redelivered RUNNING run again from scratch, dropping its partial rows", async () => {
    const { run } = await createEvalRun(p, { suiteId, target: endpoint(), force: true });
    await db().evalRun.update({
      where: { id: run.id },
      data: { status: "RUNNING", casesDone: 7, startedAt: new Date(0) },
    });
    await db().evalCaseResult.create({
      data: {
        evalRunId: run.id,
        index: 99,
        passed: true,
        input: {},
        expected: {},
        output: {},
        scores: {},
      },
    });
    expect(await execute(run.id)).toMatchObject({ status: "SUCCEEDED", skipped: false });
    const rows = await db().evalCaseResult.findMany({ where: { evalRunId: run.id } });
    expect(rows.map((r) => r.index).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    // A redelivery of a finished run does nothing.
    expect(await execute(run.id)).toMatchObject({ status: "SUCCEEDED", skipped: true });
  });

  it(
    "fails a model version run whose adapter cannot be loaded, naming the exit code and cause",
    { timeout: 120_000 },
    async () => {
      await ensureTinyBase();
      const model = await db().model.create({ data: { teamId: p.teamId, name: "broken adapter" } });
      const version = await db().modelVersion.create({
        data: {
          teamId: p.teamId,
          modelId: model.id,
          version: 1,
          baseModel: "retune/tiny-chat",
          adapterUri: "artifact:models/missing/v1",
        },
      });
      const { run } = await createEvalRun(p, {
        suiteId,
        target: { modelVersionId: version.id },
        force: false,
      });
      expect(run.target).toMatchObject({
        kind: "MODEL_VERSION",
        modelVersionId: version.id,
        label: "broken adapter v1",
      });
      expect(await execute(run.id)).toMatchObject({ status: "FAILED" });
      const failed = await getEvalRun(p, run.id);
      expect(failed.error).toMatch(
        /generate\.py exited with code 2 \(bad arguments or input file\): .*adapter_config\.json/,
      );
    },
  );
});
