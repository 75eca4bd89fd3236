/**
 * Traces against PostgreSQL and a real artifact folder: a batch lands as one JSONL file with an
 * index row per trace, reads back byte for byte, is refused whole when any trace is invalid,
 * stores a repeated id once, stays inside its team, and filters and pages.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { createTeamWith, keyFor, signUp } from "@/test/principals";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-traces-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { getTrace, ingestTraces, listTraces, readTraceBodies } =
  await import("@/lib/server/telemetry/traces");
const tracesRoute = await import("./route");
const traceRoute = await import("./[id]/route");

type Team = { owner: Principal; key: Principal; modelA: { id: string; name: string } };

async function team(label: string): Promise<Team> {
  const user = await signUp(label);
  const t = await createTeamWith({ OWNER: user });
  const base = { teamId: t.id, userId: null, ip: null };
  const modelA = await db().model.create({ data: { teamId: t.id, name: `${label}-caller` } });
  return {
    owner: { ...base, userId: user.id, apiKeyId: null, actor: { kind: "user", role: "OWNER" } },
    key: { ...base, apiKeyId: "k", actor: { kind: "apiKey", scopes: ["telemetry"] } },
    modelA: { id: modelA.id, name: modelA.name },
  };
}

function post(
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
): Request {
  return new Request("http://localhost/api/v1/traces", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

const postJson = (value: unknown) => post(JSON.stringify(value));

function trace(over: Record<string, unknown> = {}) {
  return {
    timestamp: "2026-03-01T10:00:00Z",
    model: "x",
    outcome: "success",
    messages: [
      { role: "system", content: "You route support tickets." },
      { role: "user", content: "Refund order 42 — it arrived broken ☹" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "c1",
            type: "function",
            function: { name: "refund", arguments: '{"order":42}' },
          },
          { id: "c2", type: "function", function: { name: "notify", arguments: { to: "u" } } },
          { id: "c3", type: "function", function: { name: "refund", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: '{"ok":true}' },
      { role: "assistant", content: "Done: refunded." },
    ],
    ...over,
  };
}

function batchFiles(teamId: string): string[] {
  const dir = path.join(artifactDir, "traces", teamId);
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

async function rejects(promise: Promise<unknown>, status: number, text?: string) {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  expect((e as HttpError).status).toBe(status);
  if (text) expect((e as HttpError).message).toContain(text);
}

let a: Team;
let b: Team;
beforeAll(async () => {
  a = await team("tr-a");
  b = await team("tr-b");
});

describe("trace ingest", () => {
  it("stores a batch as one JSONL file with an index row per trace, read back exactly", async () => {
    const posted = [
      trace({ id: "t-1", model: a.modelA.name, metadata: { user: "u1", locale: "de" } }),
      trace({
        id: "t-2",
        model: a.modelA.id,
        outcome: "failure",
        correctedBy: "frontier",
        timestamp: "2026-03-01T12:30:00.250+02:00",
        tools: [{ type: "function", function: { name: "refund", parameters: {} } }],
      }),
      trace({ model: a.modelA.name, messages: [{ role: "assistant", content: "hi" }] }),
    ];
    const res = await ingestTraces(a.key, postJson({ traces: posted }));
    expect(res).toEqual({ status: 202, body: { accepted: 3, duplicates: 0 } });

    const files = batchFiles(a.owner.teamId);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/traces\/[^/]+\/\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}\.jsonl$/);
    expect((await readFile(files[0]!, "utf8")).trimEnd().split("\n")).toHaveLength(3);

    const rows = await db().trace.findMany({
      where: { teamId: a.owner.teamId },
      orderBy: { offset: "asc" },
    });
    expect(rows.slice(0, 2).map((r) => r.traceId)).toEqual(["t-1", "t-2"]);
    // A missing id becomes a UUID v7.
    expect(rows[2]!.traceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
    expect(rows[0]!.toolsCalled).toEqual(["refund", "notify"]);
    expect(rows[0]!.messageCount).toBe(5);
    expect(rows[2]!.toolsCalled).toEqual([]);
    expect(rows[1]!.timestamp.toISOString()).toBe("2026-03-01T10:30:00.250Z");
    expect(rows[1]!.correctedBy).toBe("frontier");
    expect(rows.every((r) => r.modelId === a.modelA.id)).toBe(true);

    const bodies = await readTraceBodies([...rows].reverse());
    expect(bodies.map((x) => x.messages)).toEqual(posted.map((x) => x.messages).reverse());
    expect(bodies[2]).toMatchObject({
      traceId: "t-1",
      model: a.modelA.id,
      timestamp: "2026-03-01T10:00:00.000Z",
      tools: null,
      correctedBy: null,
      metadata: { user: "u1", locale: "de" },
    });
    expect(bodies[1]!.tools).toEqual((posted[1] as { tools?: unknown }).tools);
  });

  it("accepts NDJSON, gzip, and a single trace", async () => {
    const lines = [
      trace({ id: "nd-1", model: a.modelA.name }),
      trace({ id: "nd-2", model: a.modelA.name }),
    ];
    const ndjson = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
    expect(
      await ingestTraces(a.key, post(ndjson, { "content-type": "application/x-ndjson" })),
    ).toEqual({ status: 202, body: { accepted: 2, duplicates: 0 } });
    const gz = new Uint8Array(
      gzipSync(JSON.stringify({ traces: [trace({ id: "gz-1", model: a.modelA.name })] })),
    );
    expect(await ingestTraces(a.key, post(gz, { "content-encoding": "gzip" }))).toEqual({
      status: 202,
      body: { accepted: 1, duplicates: 0 },
    });
    expect(await ingestTraces(a.key, postJson(trace({ id: "one", model: a.modelA.id })))).toEqual({
      status: 202,
      body: { accepted: 1, duplicates: 0 },
    });
    const rows = await db().trace.findMany({
      where: { teamId: a.owner.teamId, traceId: { in: ["nd-2", "gz-1", "one"] } },
      orderBy: { traceId: "asc" },
    });
    const bodies = await readTraceBodies(rows);
    expect(bodies.map((x) => x.traceId)).toEqual(["gz-1", "nd-2", "one"]);
    expect(bodies[0]!.messages).toEqual(lines[0]!.messages);
  });

  it("refuses a batch with any invalid trace, naming index and field, and stores nothing", async () => {
    const before = batchFiles(a.owner.teamId).length;
    const count = await db().trace.count({ where: { teamId: a.owner.teamId } });
    const bad = trace({ model: a.modelA.name });
    (bad.messages[2] as { role: string }).role = "robot";
    const res = await ingestTraces(
      a.key,
      postJson({
        traces: [
          trace({ id: "ok-1", model: a.modelA.name }),
          bad,
          trace({ model: a.modelA.name, colour: "blue" }),
          trace({ model: "no-such-model" }),
          trace({ model: a.modelA.name, outcome: "meh", messages: [{ role: "user" }] }),
          trace({ model: "ghost", outcome: "meh" }),
        ],
      }),
    );
    expect(res.status).toBe(422);
    if (res.status !== 422) return;
    expect(res.body.error.code).toBe("invalid_batch");
    expect(res.body.error.message).toContain("5 of 6 traces invalid");
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { index: 1, field: "messages.2.role", message: expect.any(String) },
        { index: 2, field: "colour", message: 'unknown field "colour"' },
        { index: 3, field: "model", message: expect.stringContaining('"no-such-model"') },
        { index: 4, field: "outcome", message: expect.any(String) },
        { index: 4, field: "messages", message: "needs at least one assistant message" },
        // An unknown model is reported alongside the item's other problems.
        { index: 5, field: "outcome", message: expect.any(String) },
        { index: 5, field: "model", message: expect.stringContaining('"ghost"') },
      ]),
    );
    expect(res.body.errors.map((e) => e.index)).not.toContain(0);
    expect(await db().trace.count({ where: { teamId: a.owner.teamId } })).toBe(count);
    expect(batchFiles(a.owner.teamId)).toHaveLength(before);

    const nd = `${JSON.stringify(trace({ model: a.modelA.name }))}\n{not json\n`;
    const res2 = await ingestTraces(a.key, post(nd, { "content-type": "application/x-ndjson" }));
    expect(res2.status).toBe(422);
    expect(res2.body).toMatchObject({ errors: [{ index: 1, field: "(line)" }] });
    expect(await db().trace.count({ where: { teamId: a.owner.teamId } })).toBe(count);
  });

  it("stores a repeated id once, within a batch and across batches", async () => {
    const t = await team("tr-dup");
    const m = t.modelA.name;
    const first = await ingestTraces(
      t.key,
      postJson([
        trace({ id: "d-1", model: m }),
        trace({ id: "d-1", model: m, outcome: "failure" }),
      ]),
    );
    expect(first).toEqual({ status: 202, body: { accepted: 1, duplicates: 1 } });
    const again = await ingestTraces(
      t.key,
      postJson([trace({ id: "d-1", model: m }), trace({ id: "d-2", model: m })]),
    );
    expect(again).toEqual({ status: 202, body: { accepted: 1, duplicates: 1 } });
    const onlyDupes = await ingestTraces(t.key, postJson([trace({ id: "d-2", model: m })]));
    expect(onlyDupes).toEqual({ status: 202, body: { accepted: 0, duplicates: 1 } });
    const rows = await db().trace.findMany({ where: { teamId: t.owner.teamId } });
    expect(rows.map((r) => r.traceId).sort()).toEqual(["d-1", "d-2"]);
    expect(rows.find((r) => r.traceId === "d-1")!.outcome).toBe("success");
    // A batch of duplicates leaves no file behind.
    expect(batchFiles(t.owner.teamId)).toHaveLength(2);
    // Concurrent batches with the same id still store it once.
    const racers = await Promise.all(
      [0, 1, 2].map(() => ingestTraces(t.key, postJson([trace({ id: "race", model: m })]))),
    );
    expect(racers.map((r) => (r.body as { accepted: number }).accepted).sort()).toEqual([0, 0, 1]);
    expect(await db().trace.count({ where: { teamId: t.owner.teamId, traceId: "race" } })).toBe(1);
  });

  it("refuses another team's model and callers without the telemetry permission", async () => {
    const res = await ingestTraces(b.key, postJson([trace({ model: a.modelA.id })]));
    expect(res).toMatchObject({ status: 422, body: { errors: [{ index: 0, field: "model" }] } });
    const res2 = await ingestTraces(b.key, postJson([trace({ model: a.modelA.name })]));
    expect(res2.status).toBe(422);
    expect(await db().trace.count({ where: { teamId: b.owner.teamId } })).toBe(0);
    const readKey: Principal = { ...b.key, actor: { kind: "apiKey", scopes: ["read"] } };
    await rejects(ingestTraces(readKey, postJson([trace({ model: b.modelA.name })])), 403);
    const viewer: Principal = { ...b.owner, actor: { kind: "user", role: "VIEWER" } };
    await rejects(ingestTraces(viewer, postJson([trace({ model: b.modelA.name })])), 403);
  });
});

describe("trace reads", () => {
  let t: Team;
  let other: { id: string; name: string };
  beforeAll(async () => {
    t = await team("tr-read");
    other = await db().model.create({ data: { teamId: t.owner.teamId, name: "tr-read-other" } });
    const traces = [];
    for (let i = 0; i < 12; i++) {
      traces.push(
        trace({
          id: `r-${String(i).padStart(2, "0")}`,
          model: i % 3 === 0 ? other.id : t.modelA.name,
          timestamp: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(),
          outcome: i % 2 === 0 ? "success" : "failure",
          ...(i % 4 === 1
            ? { correctedBy: "human" }
            : i % 4 === 3
              ? { correctedBy: "frontier" }
              : {}),
          ...(i === 5
            ? {
                messages: [
                  {
                    role: "assistant",
                    tool_calls: [{ function: { name: "lookup_order", arguments: "{}" } }],
                  },
                ],
              }
            : {}),
        }),
      );
    }
    expect(await ingestTraces(t.key, postJson({ traces }))).toMatchObject({ status: 202 });
  });

  const ids = (page: { traces: { traceId: string }[] }) => page.traces.map((x) => x.traceId);

  it("lists newest first and pages by cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listTraces(t.owner, { limit: 5, cursor });
      seen.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(
      Array.from({ length: 12 }, (_, i) => `r-${String(11 - i).padStart(2, "0")}`),
    );
    const first = await listTraces(t.owner, { limit: 1 });
    expect(first.traces[0]).toEqual({
      id: expect.any(String),
      traceId: "r-11",
      modelId: t.modelA.id,
      modelName: t.modelA.name,
      timestamp: "2026-03-01T00:11:00.000Z",
      outcome: "failure",
      correctedBy: "frontier",
      messageCount: 5,
      toolsCalled: ["refund", "notify"],
      createdAt: expect.any(String),
    });
    await rejects(listTraces(t.owner, { cursor: "garbage" }), 400);
  });

  it("filters by model (name or id), outcome, correction, tool and time", async () => {
    const q = async (query: Parameters<typeof listTraces>[1]) =>
      ids(await listTraces(t.owner, query)).sort();
    expect(await q({ model: other.name })).toEqual(["r-00", "r-03", "r-06", "r-09"]);
    expect(await q({ model: other.id })).toEqual(["r-00", "r-03", "r-06", "r-09"]);
    expect(await q({ model: other.id, outcome: "failure" })).toEqual(["r-03", "r-09"]);
    expect(await q({ correctedBy: "human" })).toEqual(["r-01", "r-05", "r-09"]);
    expect(await q({ correctedBy: "none", outcome: "failure" })).toEqual([]);
    expect((await q({ correctedBy: "none" })).length).toBe(6);
    expect(await q({ tool: "lookup_order" })).toEqual(["r-05"]);
    expect((await q({ tool: "refund" })).length).toBe(11);
    expect(await q({ from: "2026-03-01T00:03:00Z", to: "2026-03-01T02:05:00+02:00" })).toEqual([
      "r-03",
      "r-04",
    ]);
    await rejects(listTraces(t.owner, { model: a.modelA.name }), 404);
    // Another team sees none of them.
    expect((await listTraces(b.owner, {})).traces).toEqual([]);
  });

  it("reads one trace with its body, by row id or trace id, only inside the team", async () => {
    const [row] = (await listTraces(t.owner, { tool: "lookup_order" })).traces;
    const detail = await getTrace(t.owner, row!.id);
    expect(detail).toMatchObject({
      id: row!.id,
      traceId: "r-05",
      messages: [{ role: "assistant", tool_calls: [{ function: { name: "lookup_order" } }] }],
      tools: null,
      metadata: null,
    });
    expect((await getTrace(t.owner, "r-05")).id).toBe(row!.id);
    await rejects(getTrace(b.owner, row!.id), 404, row!.id);
    await rejects(getTrace(b.owner, "r-05"), 404);
    await rejects(getTrace(t.owner, "nope"), 404);
    // Keys with only the telemetry scope write traces but cannot read them back.
    await rejects(getTrace(t.key, row!.id), 403);
  });
});

describe("the /api/v1/traces routes", () => {
  it("answer 202, 422 with per-index errors at the top level, and read back with a read key", async () => {
    const user = await signUp("tr-http");
    const t = await createTeamWith({ OWNER: user });
    const model = await db().model.create({ data: { teamId: t.id, name: "http-caller" } });
    const telemetryKey = (await keyFor(t.id, user.id, ["telemetry"])).key;
    const readKey = (await keyFor(t.id, user.id, ["read"])).key;
    const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
    const send = (body: unknown) =>
      tracesRoute.POST(
        new Request("http://localhost/api/v1/traces", {
          method: "POST",
          headers: { authorization: `Bearer ${telemetryKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        ctx(),
      );

    const ok = await send({ traces: [trace({ id: "h-1", model: model.name })] });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ accepted: 1, duplicates: 0 });
    const bad = await send({ traces: [trace({ model: model.name, outcome: "meh" })] });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({
      error: { code: "invalid_batch", message: expect.stringContaining("nothing was stored") },
      errors: [{ index: 0, field: "outcome", message: expect.any(String) }],
    });

    const read = (url: string, route: typeof tracesRoute.GET, params?: Record<string, string>) =>
      route(new Request(url, { headers: { authorization: `Bearer ${readKey}` } }), ctx(params));
    const list = await read(
      "http://localhost/api/v1/traces?outcome=success&limit=10",
      tracesRoute.GET,
    );
    expect(list.status).toBe(200);
    const page = (await list.json()) as { traces: { id: string }[]; nextCursor: null };
    expect(page).toMatchObject({ traces: [{ traceId: "h-1" }], nextCursor: null });
    const one = await read("http://localhost/api/v1/traces/h-1", traceRoute.GET, { id: "h-1" });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: page.traces[0]!.id, messages: trace().messages });
    const bogus = await read("http://localhost/api/v1/traces?outcome=meh", tracesRoute.GET);
    expect(bogus.status).toBe(422);
  });
});
