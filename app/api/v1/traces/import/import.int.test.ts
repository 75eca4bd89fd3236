/**
 * Importing an OpenAI-style chat-completion log as traces, against PostgreSQL and a real artifact
 * folder: the shapes gateways, SDK loggers and the Batch API write become traces of the Model
 * named in the query; a log with a line that cannot be imported is refused whole with errors
 * naming the lines (or, with skipInvalid, imported without them); importing it again stores
 * nothing twice.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { traceImportRefusedSchema, traceImportResultSchema } from "@/lib/schemas/trace-import";
import type { Principal } from "@/lib/server/core/principal";
import { createTeamWith, keyFor, signUp } from "@/test/principals";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-import-"));

const { db } = await import("@/lib/server/core/db");
const { getTrace, listTraces } = await import("@/lib/server/telemetry/traces");
const { POST } = await import("./route");

let p: Principal;
let key: string;
let otherKey: string;
let model: { id: string; name: string };

beforeAll(async () => {
  const owner = await signUp("import");
  const team = await createTeamWith({ OWNER: owner });
  key = (await keyFor(team.id, owner.id, ["telemetry"])).key;
  p = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  model = await db().model.create({ data: { teamId: team.id, name: "order bot" } });
  const other = await signUp("import-other");
  const otherTeam = await createTeamWith({ OWNER: other });
  otherKey = (await keyFor(otherTeam.id, other.id, ["telemetry"])).key;
});

function post(
  body: string | Uint8Array,
  query: string,
  headers: Record<string, string> = {},
  k = key,
) {
  return POST(
    new Request(`http://localhost/api/v1/traces/import?${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${k}`, "content-type": "application/x-ndjson", ...headers },
      body: body as BodyInit,
    }),
    { params: Promise.resolve({}) },
  );
}

const TOOLS = [
  {
    type: "function",
    function: {
      name: "get_order",
      parameters: { type: "object", properties: { id: { type: "string" } } },
    },
  },
];
const completion = (id: string, message: object, created = 1_767_000_000) => ({
  id,
  object: "chat.completion",
  created,
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message, finish_reason: "stop" }],
  usage: { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 },
});
const ask = (n: number) => [
  { role: "developer", content: "You answer order questions." },
  { role: "user", content: [{ type: "text", text: `Where is order ${n}?` }] },
];

/** A log in every shape the import reads. */
const LOG = [
  // 1: gateway / SDK logger
  {
    request: { model: "gpt-4o-mini", messages: ask(1), tools: TOOLS },
    response: completion("chatcmpl-1", {
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: "call_1",
          type: "function",
          function: { name: "get_order", arguments: '{"id":"1"}' },
        },
      ],
    }),
  },
  // 2: a proxy that keeps the HTTP body wrapper
  {
    request: { body: { model: "gpt-4o-mini", messages: ask(2) } },
    response: {
      status_code: 200,
      body: completion("chatcmpl-2", { role: "assistant", content: "Order 2 shipped." }),
    },
  },
  // 3 + 4: Batch API input, then its output
  {
    custom_id: "req-3",
    method: "POST",
    url: "/v1/chat/completions",
    body: { model: "gpt-4o-mini", messages: ask(3) },
  },
  {
    id: "batch_req_3",
    custom_id: "req-3",
    response: {
      status_code: 200,
      request_id: "r3",
      body: completion("chatcmpl-3", { role: "assistant", content: "Order 3 is late." }),
    },
    error: null,
  },
  // 5: { messages, choices }
  {
    model: "gpt-4o-mini",
    messages: ask(5),
    choices: [{ message: { role: "assistant", content: "Order 5 arrives today." } }],
  },
  // 6: { input, output } with text output and no ids of its own
  { input: ask(6), output: "Order 6 was cancelled.", timestamp: "2026-01-02T03:04:05Z" },
].map((l) => JSON.stringify(l));

describe("POST /api/v1/traces/import", () => {
  it("imports every shape as traces of the Model, and a second import stores nothing twice", async () => {
    const res = await post(LOG.join("\n") + "\n", `model=${encodeURIComponent(model.name)}`);
    expect(res.status).toBe(202);
    expect(traceImportResultSchema.parse(await res.json())).toEqual({
      lines: 6,
      accepted: 5,
      duplicates: 0,
      skipped: [],
    });
    const page = await listTraces(p, { model: model.name, limit: 50 });
    // Lines without a completion id are named by a hash of their bytes.
    const hashed = expect.stringMatching(/^log-[0-9a-f]{32}$/);
    expect(page.traces.map((t) => t.traceId).sort()).toEqual([
      "chatcmpl-1",
      "chatcmpl-2",
      "chatcmpl-3",
      hashed,
      hashed,
    ]);
    const first = await getTrace(p, "chatcmpl-1");
    expect(first.messages).toEqual([
      { role: "system", content: "You answer order questions." },
      { role: "user", content: "Where is order 1?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get_order", arguments: '{"id":"1"}' },
          },
        ],
      },
    ]);
    expect(first.tools).toEqual(TOOLS);
    expect(first.toolsCalled).toEqual(["get_order"]);
    expect(first.timestamp).toBe(new Date(1_767_000_000_000).toISOString());
    expect(first.metadata).toMatchObject({
      source: "openai-log",
      line: 1,
      requestModel: "gpt-4o-mini",
      responseModel: "gpt-4o-mini-2024-07-18",
      inputTokens: 40,
      outputTokens: 9,
    });
    const batch = await getTrace(p, "chatcmpl-3");
    expect(batch.messages.at(-1)).toEqual({ role: "assistant", content: "Order 3 is late." });
    expect(batch.metadata).toMatchObject({ customId: "req-3", line: 4 });
    const plain = page.traces.find((t) => t.timestamp === "2026-01-02T03:04:05.000Z")!;
    expect((await getTrace(p, plain.id)).messages.at(-1)).toEqual({
      role: "assistant",
      content: "Order 6 was cancelled.",
    });

    // Gzip, and the same log again: duplicates only.
    const again = await post(gzipSync(LOG.join("\n")), `model=${model.id}`, {
      "content-encoding": "gzip",
    });
    expect(traceImportResultSchema.parse(await again.json())).toMatchObject({
      accepted: 0,
      duplicates: 5,
    });
  });

  it("refuses a log with bad lines whole, naming each line; skipInvalid imports the rest", async () => {
    const other = await db().model.create({ data: { teamId: p.teamId, name: "strict bot" } });
    const lines = [
      LOG[0]!.replace("chatcmpl-1", "chatcmpl-s1"),
      "{ not json",
      JSON.stringify({
        request: { messages: ask(7) },
        response: { status_code: 429, body: { error: { message: "Rate limit reached" } } },
      }),
      "",
      JSON.stringify({
        custom_id: "req-missing",
        response: {
          status_code: 200,
          body: completion("chatcmpl-x", { role: "assistant", content: "hi" }),
        },
      }),
      JSON.stringify({ hello: "world" }),
      JSON.stringify({
        request: { messages: [] },
        response: completion("chatcmpl-e", { role: "assistant", content: "?" }),
      }),
    ];
    const refused = await post(lines.join("\n"), `model=${encodeURIComponent(other.name)}`);
    expect(refused.status).toBe(422);
    const body = traceImportRefusedSchema.parse(await refused.json());
    expect(body.error.message).toMatch(
      /^5 of 6 lines cannot be imported, nothing was stored; first: line 2: not JSON/,
    );
    expect(body.errors.map((e) => e.line)).toEqual([2, 3, 5, 6, 7]);
    expect(body.errors[1]!.message).toMatch(
      /the response is an error.*status 429: Rate limit reached/,
    );
    expect(body.errors[2]!.message).toMatch(/"req-missing": its request is not in the file/);
    expect(body.errors[3]!.message).toMatch(/unrecognised line/);
    expect(body.errors[4]!.message).toMatch(/no messages/);
    expect((await listTraces(p, { model: other.id })).traces).toHaveLength(0);

    const skipped = await post(lines.join("\n"), `model=${other.id}&skipInvalid=true`);
    expect(skipped.status).toBe(202);
    const result = traceImportResultSchema.parse(await skipped.json());
    expect(result).toMatchObject({ lines: 6, accepted: 1, duplicates: 0 });
    expect(result.skipped.map((e) => e.line)).toEqual([2, 3, 5, 6, 7]);
    expect((await listTraces(p, { model: other.id })).traces.map((t) => t.traceId)).toEqual([
      "chatcmpl-s1",
    ]);
  });

  it("names the Model in the query: unknown or another team's is a 422", async () => {
    const missing = await post(LOG[0]!, "");
    expect(missing.status).toBe(422);
    const unknown = await post(LOG[0]!, "model=nope");
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /no Model named or with id "nope"/,
    );
    const foreign = await post(LOG[0]!, `model=${model.id}`, {}, otherKey);
    expect(foreign.status).toBe(422);
  });
});
