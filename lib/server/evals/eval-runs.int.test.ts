/**
 * Eval suites and runs against real parts: PostgreSQL, the outbox, an OpenAI-compatible endpoint
 * (a fake vLLM speaking the real HTTP protocol, since no GPU runs here) and real local generation
 * of the tiny base model through trainers/generate.py. Runs are executed in-process with the
 * function the `evaluation` worker calls.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAiServer, type FakeOpenAiServer, replies } from "@/test/fakes/openai-server";
import { createTeamWith, signUp } from "@/test/principals";
import { ensureTinyBase, readyVersion, startWorker, workerOutput } from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";
import type { Principal } from "@/lib/server/core/principal";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-evals-"));
process.env.ARTIFACT_DIR = artifactDir;
process.env.EVAL_LOCAL_BATCH_SIZE = "4";

const { db } = await import("@/lib/server/core/db");
const { createDataset, uploadVersion } = await import("@/lib/server/datasets/datasets");
const { validateDatasetVersion } = await import("@/lib/server/datasets/validation");
const { storeSecret } = await import("@/lib/server/core/secrets");
const { createEvalSuite, getEvalSuite, listEvalSuites } = await import("./suites");
const { loadEvalCases } = await import("./cases");
const { materializeTrainingData } = await import("@/lib/server/training/data");
const { createEvalRun, evaluateVersion } = await import("./create-runs");
const { executeEvalRun } = await import("./execute-run");
const { cancelEvalRun, getEvalRun, listEvalCases, listEvalRuns } = await import("./read-runs");

const API_KEY = "sk-test-very-secret-0123456789";
const WRONG_KEY = "sk-wrong-key-echoed-back-9876";

let p: Principal;
let other: Principal;
let fake: FakeOpenAiServer;

const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city.",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: {
      name: "lookup_order",
      description: "Find an order by its id.",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string" } },
        required: ["order_id"],
        additionalProperties: false,
      },
    },
  },
];

const CITIES = ["Paris", "Lagos", "Osaka", "Lima", "Oslo", "Quito"];
const ORDERS = ["ORD-000001", "ORD-000002", "ORD-000003", "ORD-000004"];

/** 6 weather calls, 4 order lookups, 2 plain answers: the reference turn is the last one. */
function evalRows(): string[] {
  const call = (i: number, name: string, args: unknown) => ({
    role: "assistant",
    content: null,
    tool_calls: [
      { id: `call_${i}`, type: "function", function: { name, arguments: JSON.stringify(args) } },
    ],
  });
  const rows: unknown[] = [];
  CITIES.forEach((city, i) =>
    rows.push({
      messages: [
        { role: "user", content: `What is the weather in ${city}?` },
        call(i, "get_weather", { city }),
      ],
      tools,
      metadata: { intent: "weather" },
    }),
  );
  ORDERS.forEach((id, i) =>
    rows.push({
      messages: [
        { role: "user", content: `Where is my order ${id}?` },
        call(10 + i, "lookup_order", { order_id: id }),
      ],
      tools,
      metadata: { intent: "orders" },
    }),
  );
  for (const greeting of ["hello there", "good morning"])
    rows.push({
      messages: [
        { role: "user", content: greeting },
        { role: "assistant", content: "Hi! How can I help?" },
      ],
      tools,
    });
  return rows.map((r) => JSON.stringify(r));
}

/** What the fake endpoint answers per prompt: right for most, wrong in known ways for the rest. */
function respond(user: string) {
  const city = /weather in (\w+)/.exec(user)?.[1];
  if (city === "Oslo") return replies.toolCall("get_weather", { city: "Bergen" }); // wrong value
  if (city === "Quito") return replies.text("I cannot check the weather."); // no call
  if (city) return replies.toolCall("get_weather", { city });
  const order = /order (ORD-\d+)/.exec(user)?.[1];
  if (order === "ORD-000003") return replies.toolCall("get_weather", { city: "Lima" }); // wrong tool
  if (order === "ORD-000004") return replies.toolCall("lookup_order", "{not json"); // malformed
  if (order) return replies.toolCall("lookup_order", { order_id: order });
  if (user === "good morning") return replies.toolCall("lookup_order", { order_id: "ORD-1" });
  return replies.text("Hi! How can I help?");
}
/** Cases (by index, file order) the responder gets wrong. */
const WRONG = [4, 5, 8, 9, 11];

async function uploadRows(pr: Principal, rows: string[], evalFraction = 0.1): Promise<string> {
  const d = await createDataset(pr, { name: `eval-${Math.random().toString(36).slice(2)}` });
  const res = await uploadVersion(pr, d.id, {
    body: new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(Buffer.from(rows.join("\n") + "\n"));
        c.close();
      },
    }),
    contentType: "application/x-ndjson",
    query: { format: "auto", evalFraction } as never,
  });
  const v = await validateDatasetVersion(res.id);
  if (v.status !== "READY") {
    const row = await db().datasetVersion.findUniqueOrThrow({ where: { id: res.id } });
    throw new Error(`fixture dataset is ${v.status}: ${JSON.stringify(row.report).slice(0, 800)}`);
  }
  return res.id;
}

const logs: string[] = [];
const log = (msg: string, fields?: Record<string, unknown>) =>
  logs.push(`${msg} ${JSON.stringify(fields ?? {})}`);
const execute = (id: string) => executeEvalRun(id, { signal: new AbortController().signal, log });

let versionId: string;
let suiteId: string;

beforeAll(async () => {
  const owner = await signUp("eval-owner");
  const team = await createTeamWith({ OWNER: owner });
  p = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  const outsider = await signUp("eval-outsider");
  const teamB = await createTeamWith({ OWNER: outsider });
  other = { ...p, teamId: teamB.id, userId: outsider.id };
  fake = await startFakeOpenAiServer({
    apiKey: API_KEY,
    respond: (req) => {
      const msgs = (req.body?.messages ?? []) as { role: string; content: string }[];
      return respond(msgs.filter((m) => m.role === "user").at(-1)?.content ?? "");
    },
  });
  await storeSecret(p.teamId, "vllm-key", API_KEY);
  await storeSecret(p.teamId, "stale-key", WRONG_KEY);
  versionId = await uploadRows(p, evalRows());
  suiteId = (
    await createEvalSuite(p, {
      name: "support tools",
      datasetVersionId: versionId,
      split: "all",
      scorers: ["tool_call", "json_validity", "schema_validity", "exact_match", "latency", "cost"],
    })
  ).id;
});

afterAll(async () => {
  await fake?.close();
});

const endpoint = (apiKeySecret = "vllm-key") => ({
  endpoint: {
    url: fake.url,
    model: "support-lora",
    apiKeySecret,
    prices: { inputPerMTok: 1, outputPerMTok: 2 },
    maxConcurrency: 3,
  },
});

describe("eval suites", () => {
  it("creates, lists and reads a suite; refuses duplicates, other teams' data and unready versions", async () => {
    const s = await getEvalSuite(p, suiteId);
    expect(s).toMatchObject({ name: "support tools", datasetVersionId: versionId, split: "all" });
    expect(s.datasetVersion).toBe(1);
    expect((await listEvalSuites(p)).map((x) => x.id)).toContain(suiteId);
    await expect(
      createEvalSuite(p, {
        name: "support tools",
        datasetVersionId: versionId,
        split: "all",
        scorers: ["tool_call"],
      }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      createEvalSuite(other, {
        name: "x",
        datasetVersionId: versionId,
        split: "eval",
        scorers: ["tool_call"],
      }),
    ).rejects.toMatchObject({ status: 422, issues: [{ path: "datasetVersionId" }] });
    await expect(getEvalSuite(other, suiteId)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(suiteId),
    });
  });

  it("reads exactly the dataset's own eval split for split=eval, with slices from metadata", async () => {
    const v = await readyVersion(p, 80);
    const row = await db().datasetVersion.findUniqueOrThrow({ where: { id: v } });
    const { cases, skipped } = await loadEvalCases({ datasetVersionId: v, split: "eval" }, row);
    const dir = mkdtempSync(path.join(tmpdir(), "retune-split-"));
    const counts = await materializeTrainingData(dir, row, null);
    expect(skipped).toEqual([]);
    expect(cases.length).toBe(counts.eval);
    expect(cases.length).toBeGreaterThan(0);
    const evalRows = readFileSync(path.join(dir, "data", "eval.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { messages: { role: string; tool_calls?: unknown[] }[] });
    // The prompt ends before the first tool-calling assistant turn (else the last assistant turn).
    const promptOf = (m: { role: string; tool_calls?: unknown[] }[]) => {
      const call = m.findIndex((x) => x.role === "assistant" && (x.tool_calls?.length ?? 0) > 0);
      return m.slice(0, call >= 0 ? call : m.findLastIndex((x) => x.role === "assistant"));
    };
    expect(cases.map((c) => c.messages)).toEqual(evalRows.map((r) => promptOf(r.messages)));
    // Served from the cache the second time, identical.
    expect(await loadEvalCases({ datasetVersionId: v, split: "eval" }, row)).toEqual({
      cases,
      skipped,
    });

    const mine = await loadEvalCases(
      { datasetVersionId: versionId, split: "all" },
      await db().datasetVersion.findUniqueOrThrow({ where: { id: versionId } }),
    );
    expect(mine.cases.map((c) => c.slice)).toEqual([
      ...CITIES.map(() => ({ tool: "get_weather", intent: "weather" })),
      ...ORDERS.map(() => ({ tool: "lookup_order", intent: "orders" })),
      { tool: "(no call)", intent: null },
      { tool: "(no call)", intent: null },
    ]);
  });
});

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
