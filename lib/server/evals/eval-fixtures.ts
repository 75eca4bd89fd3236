/**
 * Shared setup of the eval integration tests (eval-suites, eval-endpoint-runs and
 * eval-pipeline .int.test.ts): an OWNER of one team and of another, a fake vLLM speaking the
 * real OpenAI-compatible HTTP protocol (no GPU runs here) with known right and wrong answers,
 * the endpoint's key stored as a team secret, and a suite over a 12-case tool-calling dataset.
 * Not a test file: each test file runs `beforeAll(setUpEvals)` and `afterAll(tearDownEvals)`,
 * and reads `p`, `other`, `fake`, `versionId` and `suiteId` after it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startFakeOpenAiServer, type FakeOpenAiServer, replies } from "@/test/fakes/openai-server";
import { createTeamWith, signUp } from "@/test/principals";
import type { Principal } from "@/lib/server/core/principal";

export const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-evals-"));
process.env.ARTIFACT_DIR = artifactDir;
process.env.EVAL_LOCAL_BATCH_SIZE = "4";

const { db } = await import("@/lib/server/core/db");
const { createDataset, uploadVersion } = await import("@/lib/server/datasets/datasets");
const { validateDatasetVersion } = await import("@/lib/server/datasets/validation");
const { putSecret } = await import("@/lib/server/core/secrets");
const { createEvalSuite } = await import("./suites");
const { executeEvalRun } = await import("./execute-run");

export const API_KEY = "sk-test-very-secret-0123456789";
export const WRONG_KEY = "sk-wrong-key-echoed-back-9876";

// Live bindings: set by setUpEvals, read by the tests that import them.
export let p: Principal;
export let other: Principal;
export let fake: FakeOpenAiServer;
export let versionId: string;
export let suiteId: string;

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

export const CITIES = ["Paris", "Lagos", "Osaka", "Lima", "Oslo", "Quito"];
export const ORDERS = ["ORD-000001", "ORD-000002", "ORD-000003", "ORD-000004"];

/** 6 weather calls, 4 order lookups, 2 plain answers: the reference turn is the last one. */
export function evalRows(): string[] {
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
export const WRONG = [4, 5, 8, 9, 11];

export async function uploadRows(
  pr: Principal,
  rows: string[],
  evalFraction = 0.1,
): Promise<string> {
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

export const logs: string[] = [];
const log = (msg: string, fields?: Record<string, unknown>) =>
  logs.push(`${msg} ${JSON.stringify(fields ?? {})}`);
/** Runs an eval run in-process with the function the `evaluation` worker calls. */
export const execute = (id: string) =>
  executeEvalRun(id, { signal: new AbortController().signal, log });

export async function setUpEvals() {
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
  // The keys may be sent to the fake endpoint's origin only (an ADMIN's choice, as in Settings).
  const allowedOrigins = [new URL(fake.url).origin];
  await putSecret(p, "vllm-key", { value: API_KEY, allowedOrigins });
  await putSecret(p, "stale-key", { value: WRONG_KEY, allowedOrigins });
  versionId = await uploadRows(p, evalRows());
  suiteId = (
    await createEvalSuite(p, {
      name: "support tools",
      datasetVersionId: versionId,
      split: "all",
      scorers: ["tool_call", "json_validity", "schema_validity", "exact_match", "latency", "cost"],
    })
  ).id;
}

export async function tearDownEvals() {
  await fake?.close();
}

export const endpoint = (apiKeySecret = "vllm-key") => ({
  endpoint: {
    url: fake.url,
    model: "support-lora",
    apiKeySecret,
    prices: { inputPerMTok: 1, outputPerMTok: 2 },
    maxConcurrency: 3,
  },
});
