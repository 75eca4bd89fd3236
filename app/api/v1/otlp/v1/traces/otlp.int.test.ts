/**
 * OTLP ingestion end to end: a sample agent instrumented with the OpenTelemetry JS SDK exports
 * through the real OTLP exporters (protobuf, and JSON with gzip) to the route served over HTTP;
 * its model calls arrive as telemetry events and its conversations as traces; a failure-rate
 * monitor over them breaches when their error share rises; malformed bodies are a 400 that
 * stores nothing; spans naming no Model of the caller's team are a partial success.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { diag, DiagLogLevel } from "@opentelemetry/api";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otlpExportResponseSchema, otlpStatusSchema } from "@/lib/schemas/otlp";
import type { Principal } from "@/lib/server/core/principal";
import {
  agentProvider,
  ANSWER_MS,
  type AgentRun,
  runSupportAgent,
  SYSTEM_PROMPT,
  TOOL_CALL_MS,
} from "@/test/fixtures/genai-agent";
import { createTeamWith, keyFor, signUp } from "@/test/principals";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-otlp-"));

const { db, sql } = await import("@/lib/server/core/db");
const { POST } = await import("./route");
const { getTrace, listTraces } = await import("@/lib/server/telemetry/traces");
const { createMonitor } = await import("@/lib/server/retraining/monitors");
const { checkMonitor } = await import("@/lib/server/retraining/monitor-checks");

let server: Server;
let url: string;

/** The route behind node:http, the request streamed to it as Next.js hands it over. */
async function serve() {
  server = createServer((req: IncomingMessage, res) => {
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req as unknown as BodyInit,
      duplex: "half",
    } as RequestInit);
    void POST(request, { params: Promise.resolve({}) }).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/otlp/v1/traces`;
}

type Team = { p: Principal; key: string; teamId: string };
async function team(label: string): Promise<Team> {
  const owner = await signUp(label);
  const t = await createTeamWith({ OWNER: owner });
  const { key } = await keyFor(t.id, owner.id, ["telemetry", "read"]);
  const p: Principal = {
    teamId: t.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  return { p, key, teamId: t.id };
}

/** Export results and the exporter's own diagnostics (it logs partial successes). */
const results: { code: number; error?: Error }[] = [];
const warnings: string[] = [];
diag.setLogger(
  {
    error: (...a: unknown[]) => warnings.push(a.map(String).join(" ")),
    warn: (...a: unknown[]) => warnings.push(a.map(String).join(" ")),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  },
  DiagLogLevel.WARN,
);

function recording(inner: SpanExporter): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done) =>
      inner.export(spans, (r) => {
        results.push(r);
        done(r);
      }),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

type Encoding = "proto" | "json";
/** Runs the agent conversations under one provider and flushes them through the exporter. */
async function exportRuns(
  key: string,
  encoding: Encoding,
  resource: Record<string, string>,
  runs: AgentRun[],
  at = Date.now() - 60_000,
) {
  const headers = { authorization: `Bearer ${key}` };
  const exporter =
    encoding === "proto"
      ? new ProtoExporter({ url, headers })
      : new JsonExporter({ url, headers, compression: "gzip" as never });
  const provider = agentProvider(recording(exporter), resource);
  const tracer = provider.getTracer("support-agent", "1.0.0");
  runs.forEach((run, i) => runSupportAgent(tracer, run, at + i * 1_000));
  const before = results.length;
  await provider.forceFlush();
  await provider.shutdown();
  return results.slice(before);
}

type EventRow = {
  eventId: string;
  success: boolean;
  toolCallValid: boolean | null;
  escalated: boolean | null;
  latencyMs: number | null;
  tool: string | null;
  version: number | null;
};
const eventsOf = async (modelId: string) =>
  (
    await sql().query<EventRow>(
      `SELECT "eventId", success, "toolCallValid", escalated, "latencyMs", tool, version
         FROM "TelemetryEvent" WHERE "modelId" = $1 ORDER BY timestamp, "eventId"`,
      [modelId],
    )
  ).rows;
const countAll = async () =>
  (await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM "TelemetryEvent"`)).rows[0]!.n;
const tracesAll = async () => db().trace.count();

let a: Team;
let b: Team;
let agentModel: { id: string; name: string };

beforeAll(async () => {
  await serve();
  a = await team("otlp-a");
  b = await team("otlp-b");
  agentModel = await db().model.create({ data: { teamId: a.teamId, name: "support agent" } });
  await db().modelVersion.create({
    data: { teamId: a.teamId, modelId: agentModel.id, version: 3, baseModel: "retune/tiny-chat" },
  });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe("spans from the OpenTelemetry SDK exporters", () => {
  it("protobuf: each model call is an event of the Model the resource names, each conversation a trace", async () => {
    const exported = await exportRuns(a.key, "proto", { "retune.model": agentModel.name }, [
      { order: "A-1" },
      { order: "A-2", toolError: true, extra: { "retune.escalated": true } },
      { order: "A-3", badArguments: true },
      { order: "A-4", fail: true },
    ]);
    expect(exported.map((r) => r.code)).toEqual([0]);
    expect(warnings.filter((w) => /Partial Success|deserialize/.test(w))).toEqual([]);

    const events = await eventsOf(agentModel.id);
    // Two model calls per conversation, one for the conversation that failed at once.
    expect(events).toHaveLength(7);
    const asks = events.filter((e) => e.tool !== null);
    expect(asks.map((e) => [e.tool, e.toolCallValid])).toEqual([
      ["lookup_order", true],
      ["lookup_order", false], // its tool span failed
      ["lookup_order", false], // arguments that are not JSON
    ]);
    expect(asks.map((e) => e.latencyMs)).toEqual([TOOL_CALL_MS, TOOL_CALL_MS, TOOL_CALL_MS]);
    const answers = events.filter((e) => e.tool === null && e.success);
    expect(answers.map((e) => e.latencyMs)).toEqual([ANSWER_MS, ANSWER_MS, ANSWER_MS]);
    expect(events.filter((e) => e.escalated).length).toBe(2);
    const failed = events.filter((e) => !e.success);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.latencyMs).toBe(3_000);
    expect(events.every((e) => /^[0-9a-f]{32}-[0-9a-f]{16}$/.test(e.eventId))).toBe(true);

    // Conversations with an assistant turn are traces (the failed call recorded none).
    const page = await listTraces(a.p, { model: agentModel.name, limit: 50 });
    expect(page.traces).toHaveLength(6);
    // The first call of a conversation: system, user, and the assistant's tool call.
    const first = page.traces.find((t) => t.messageCount === 3)!;
    expect(first.toolsCalled).toEqual(["lookup_order"]);
    const detail = await getTrace(a.p, first.id);
    expect(detail.messages[0]).toEqual({ role: "system", content: SYSTEM_PROMPT });
    expect(detail.messages.at(-1)).toMatchObject({
      role: "assistant",
      content: null,
      tool_calls: [{ type: "function", function: { name: "lookup_order" } }],
    });
    expect(detail.tools?.[0]).toMatchObject({
      type: "function",
      function: { name: "lookup_order" },
    });
    expect(detail.metadata).toMatchObject({
      source: "otlp",
      service: "support-agent",
      requestModel: "gpt-4o-mini",
      inputTokens: 182,
      outputTokens: 19,
    });
    const answer = page.traces.find((t) => t.messageCount === 5)!;
    const answered = await getTrace(a.p, answer.id);
    expect(answered.messages.map((m) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
    ]);
    expect(answered.messages[3]).toMatchObject({ role: "tool", tool_call_id: expect.any(String) });
  });

  it("JSON with gzip: the same, the older per-message events included", async () => {
    const model = await db().model.create({ data: { teamId: a.teamId, name: "json agent" } });
    const exported = await exportRuns(a.key, "json", { "retune.model": model.id }, [
      { order: "J-1", legacy: true },
      { order: "J-2" },
    ]);
    expect(exported.map((r) => r.code)).toEqual([0]);
    const events = await eventsOf(model.id);
    expect(events).toHaveLength(4);
    expect(events.filter((e) => e.tool === "lookup_order").map((e) => e.toolCallValid)).toEqual([
      true,
      true,
    ]);
    const page = await listTraces(a.p, { model: model.id, limit: 50 });
    expect(page.traces).toHaveLength(4);
    const legacy = await Promise.all(page.traces.map((t) => getTrace(a.p, t.id)));
    const fromEvents = legacy.find(
      (t) => t.messages.length === 3 && t.messages[1]?.content === "Where is my order J-1?",
    );
    expect(fromEvents?.messages[2]).toMatchObject({
      role: "assistant",
      tool_calls: [{ id: "call_J-1", function: { name: "lookup_order" } }],
    });
  });

  it("stores a resent request body once", async () => {
    const model = await db().model.create({ data: { teamId: a.teamId, name: "resend agent" } });
    const { JsonTraceSerializer } = await import("@opentelemetry/otlp-transformer");
    const { InMemorySpanExporter } = await import("@opentelemetry/sdk-trace");
    const memory = new InMemorySpanExporter();
    const provider = agentProvider(memory, { "retune.model": model.name });
    runSupportAgent(provider.getTracer("t"), { order: "R-1" }, Date.now() - 5_000);
    await provider.forceFlush();
    const body = Buffer.from(JsonTraceSerializer.serializeRequest(memory.getFinishedSpans())!);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${a.key}`, "content-type": "application/json" },
        body,
      });
      expect(res.status).toBe(200);
      expect(otlpExportResponseSchema.parse(await res.json())).toEqual({});
    }
    expect(await eventsOf(model.id)).toHaveLength(2);
    expect((await listTraces(a.p, { model: model.id })).traces).toHaveLength(2);
  });
});

describe("a drift monitor over OTLP telemetry", () => {
  it("breaches when the share of failing model calls rises", async () => {
    const model = await db().model.create({ data: { teamId: a.teamId, name: "monitored agent" } });
    const monitor = await createMonitor(a.p, {
      model: model.name,
      metric: "failure_rate",
      window: "1h",
      threshold: 0.2,
      minSamples: 10,
      cooldown: "1m",
    });
    const healthy = Array.from({ length: 8 }, (_, i) => ({ order: `H-${i}` }));
    await exportRuns(a.key, "proto", { "retune.model": model.name }, healthy);
    const calm = await checkMonitor(a.p, monitor.id);
    expect(calm).toMatchObject({ breached: false, samples: 16, value: 0 });

    const failing = Array.from({ length: 6 }, (_, i) => ({ order: `F-${i}`, fail: true }));
    await exportRuns(a.key, "json", { "retune.model": model.name }, failing);
    const storm = await checkMonitor(a.p, monitor.id);
    expect(storm.samples).toBe(22);
    expect(storm.value).toBeCloseTo(6 / 22, 10);
    expect(storm.breached).toBe(true);
  });
});

describe("what the route refuses", () => {
  const post = (body: BodyInit, type: string, key = a.key) =>
    fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": type },
      body,
    });

  it("malformed protobuf, malformed JSON and wrongly typed JSON: 400 naming the problem, nothing stored", async () => {
    const events = await countAll();
    const traces = await tracesAll();

    const pb = await post(Buffer.from("this is not a protobuf message"), "application/x-protobuf");
    expect(pb.status).toBe(400);
    expect(pb.headers.get("content-type")).toBe("application/x-protobuf");
    // A google.rpc.Status: field 2 (message) is length-delimited text.
    const status = Buffer.from(await pb.arrayBuffer()).toString("utf8");
    expect(status).toMatch(/not a protobuf ExportTraceServiceRequest/);

    const bad = await post("{ resourceSpans: [", "application/json");
    expect(bad.status).toBe(400);
    const badBody = otlpStatusSchema.parse(await bad.json());
    expect(badBody.error.code).toBe("malformed_json");
    expect(badBody.message).toMatch(/not JSON/);

    const typed = await post(
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 42, spanId: "0102030405060708" }] }] }],
      }),
      "application/json",
    );
    expect(typed.status).toBe(400);
    expect(otlpStatusSchema.parse(await typed.json()).message).toMatch(
      /resourceSpans\.0\.scopeSpans\.0\.spans\.0\.traceId/,
    );

    const base64Ids = await post(
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              { spans: [{ traceId: "AAECAwQFBgcICQoLDA0ODw==", spanId: "AQIDBAUGBwg=" }] },
            ],
          },
        ],
      }),
      "application/json",
    );
    expect(base64Ids.status).toBe(400);
    expect(otlpStatusSchema.parse(await base64Ids.json()).message).toMatch(/hex/);

    const unsupported = await post("x", "text/plain");
    expect(unsupported.status).toBe(415);

    expect(await countAll()).toBe(events);
    expect(await tracesAll()).toBe(traces);
  });

  it("a span naming no Model of the team: partial success saying why, the rest stored", async () => {
    const before = (await eventsOf(agentModel.id)).length;
    const warned = warnings.length;
    const exported = await exportRuns(a.key, "proto", {}, [
      { order: "U-1", model: "gpt-unknown" },
      { order: "U-2", extra: { "retune.model": agentModel.name, "retune.model.version": 3 } },
      { order: "U-3", extra: { "retune.model": agentModel.name, "retune.model.version": 9 } },
    ]);
    // A partial success is a success to the exporter, which logs what was rejected.
    expect(exported.map((r) => r.code)).toEqual([0]);
    const logged = warnings.slice(warned).join("\n");
    expect(logged).toMatch(/Received Partial Success response/);
    expect(logged).toMatch(/"rejectedSpans":4/);
    expect(logged).toMatch(/no Model named or with id \\"gpt-unknown\\"/);
    expect(logged).toMatch(/has no version 9/);
    const events = await eventsOf(agentModel.id);
    expect(events.length - before).toBe(2);
    expect(events.filter((e) => e.version === 3)).toHaveLength(2);

    // The JSON encoding answers the same in JSON.
    const { JsonTraceSerializer } = await import("@opentelemetry/otlp-transformer");
    const { InMemorySpanExporter } = await import("@opentelemetry/sdk-trace");
    const memory = new InMemorySpanExporter();
    const provider = agentProvider(memory, { "retune.model": "nobody's model" });
    runSupportAgent(provider.getTracer("t"), { order: "U-4" });
    await provider.forceFlush();
    const res = await post(
      Buffer.from(JsonTraceSerializer.serializeRequest(memory.getFinishedSpans())!),
      "application/json",
    );
    expect(res.status).toBe(200);
    const body = otlpExportResponseSchema.parse(await res.json());
    expect(body.partialSuccess?.rejectedSpans).toBe("2");
    expect(body.partialSuccess?.errorMessage).toMatch(
      /2 of 2 GenAI spans rejected: 2 × no Model named or with id "nobody's model" in this team \(from retune.model\)/,
    );
  });

  it("another team's key cannot write to this team's Model, by name or by id", async () => {
    const before = await eventsOf(agentModel.id);
    const warned = warnings.length;
    for (const ref of [agentModel.name, agentModel.id]) {
      const exported = await exportRuns(b.key, "proto", { "retune.model": ref }, [
        { order: "X-1" },
      ]);
      expect(exported.map((r) => r.code)).toEqual([0]);
    }
    const logged = warnings.slice(warned).join("\n");
    expect(logged.match(/"rejectedSpans":2/g)).toHaveLength(2);
    expect(await eventsOf(agentModel.id)).toEqual(before);
    expect(
      (await sql().query(`SELECT 1 FROM "TelemetryEvent" WHERE "teamId" = $1`, [b.teamId]))
        .rowCount,
    ).toBe(0);
  });

  it("a request without GenAI spans is accepted with a warning; an empty one with nothing", async () => {
    const empty = await post(Buffer.alloc(0), "application/x-protobuf");
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
    const plain = await post(
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: "0af7651916cd43dd8448eb211c80319c",
                    spanId: "b7ad6b7169203331",
                    name: "GET /orders",
                    startTimeUnixNano: "1700000000000000000",
                    endTimeUnixNano: "1700000000100000000",
                  },
                ],
              },
            ],
          },
        ],
      }),
      "application/json",
    );
    expect(otlpExportResponseSchema.parse(await plain.json())).toEqual({
      partialSuccess: {
        rejectedSpans: "0",
        errorMessage: expect.stringMatching(/none of the 1 spans is a GenAI model call/),
      },
    });
  });
});
