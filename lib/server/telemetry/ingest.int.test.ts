/**
 * Telemetry ingestion against PostgreSQL, through the route handler with real API keys: batches
 * stored whole or not at all, repeated ids counted once, rollups equal to the events.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { latencyBucket } from "@/lib/domain/latency-histogram";
import { mulberry32 } from "@/lib/domain/prng";
import { telemetryAcceptedSchema } from "@/lib/schemas/telemetry";
import { keyFor } from "@/test/principals";
import { db, sql } from "@/lib/server/core/db";
import { fixture, iso, NOW, post, postEvents } from "./telemetry-fixtures";

async function stored(teamId: string) {
  const { rows } = await sql().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "TelemetryEvent" WHERE "teamId" = $1`,
    [teamId],
  );
  return rows[0]!.n;
}

async function rollups(modelId: string) {
  const { rows } = await sql().query<Record<string, number | string>>(
    `SELECT to_char(minute, 'YYYY-MM-DD"T"HH24:MI') AS minute, samples, failures, "toolCalls",
            "toolCallErrors", "escalationKnown", escalations, "latencyCount", "latencySumMs",
            "costCount", "costSumUsd"
       FROM "TelemetryRollup" WHERE "modelId" = $1 ORDER BY minute`,
    [modelId],
  );
  return rows;
}

async function dims(modelId: string, dim: string) {
  const { rows } = await sql().query<{ key: string; count: string }>(
    `SELECT key, sum(count) AS count FROM "TelemetryDimRollup"
      WHERE "modelId" = $1 AND dim = $2 GROUP BY key`,
    [modelId, dim],
  );
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.count)]));
}

const minuteOf = (isoText: string) => isoText.slice(0, 16);

describe("POST /api/v1/telemetry", () => {
  it("stores a JSON batch and rolls it up per minute, tool, intent and latency bucket", async () => {
    const { team, model, key } = await fixture();
    // Two events in one minute, one in another (both minutes fully in the past).
    const t0 = new Date(Math.floor((NOW - 600_000) / 60_000) * 60_000 + 5_000).toISOString();
    const t1 = new Date(Date.parse(t0) + 20_000).toISOString();
    const t2 = new Date(Date.parse(t0) + 65_000).toISOString();
    const events = [
      {
        id: "e1",
        timestamp: t0,
        model: "tool caller",
        version: 1,
        outcome: "success",
        toolCallValid: true,
        escalated: false,
        latencyMs: 120,
        costUsd: 0.002,
        tool: "search",
        intent: "refund",
      },
      {
        id: "e2",
        timestamp: t1.replace("Z", "+00:00"),
        model: model.id,
        outcome: "failure",
        toolCallValid: false,
        escalated: true,
        latencyMs: 480.5,
        tool: "search",
        intent: "billing",
        feedback: "wrong tool arguments",
      },
      { id: "e3", timestamp: t2, model: "tool caller", version: 2, outcome: "success" },
    ];
    const res = await postEvents(key, events);
    expect(res.status).toBe(202);
    expect(telemetryAcceptedSchema.parse(await res.json())).toEqual({ accepted: 3, duplicates: 0 });
    expect(await stored(team.id)).toBe(3);

    const { rows } = await sql().query(
      `SELECT "eventId", "modelId", version, success, "toolCallValid", escalated, "latencyMs",
              "costUsd", tool, intent, feedback
         FROM "TelemetryEvent" WHERE "teamId" = $1 AND "eventId" = 'e2'`,
      [team.id],
    );
    expect(rows[0]).toMatchObject({
      modelId: model.id,
      version: null,
      success: false,
      toolCallValid: false,
      escalated: true,
      latencyMs: 480.5,
      costUsd: null,
      tool: "search",
      intent: "billing",
      feedback: "wrong tool arguments",
    });

    expect(await rollups(model.id)).toEqual([
      {
        minute: minuteOf(t0),
        samples: 2,
        failures: 1,
        toolCalls: 2,
        toolCallErrors: 1,
        escalationKnown: 2,
        escalations: 1,
        latencyCount: 2,
        latencySumMs: 600.5,
        costCount: 1,
        costSumUsd: 0.002,
      },
      {
        minute: minuteOf(t2),
        samples: 1,
        failures: 0,
        toolCalls: 0,
        toolCallErrors: 0,
        escalationKnown: 0,
        escalations: 0,
        latencyCount: 0,
        latencySumMs: 0,
        costCount: 0,
        costSumUsd: 0,
      },
    ]);
    expect(await dims(model.id, "tool")).toEqual({ search: 2 });
    expect(await dims(model.id, "intent")).toEqual({ refund: 1, billing: 1 });
    expect(await dims(model.id, "latency")).toEqual({
      [String(latencyBucket(120))]: 1,
      [String(latencyBucket(480.5))]: 1,
    });
  });

  it("puts latencies in the same histogram buckets as lib/domain/latency-histogram", async () => {
    const { model, key } = await fixture();
    // Values exactly representable as float32 (the column is REAL), across the whole range.
    const latencies = [0, 0.5, 1, 2, 9.5, 10, 64, 99.75, 100, 1234.5, 4096, 65_000, 3_600_000];
    const res = await postEvents(
      key,
      latencies.map((latencyMs) => ({
        timestamp: iso(60_000),
        model: "tool caller",
        outcome: "success",
        latencyMs,
      })),
    );
    expect(res.status).toBe(202);
    const expected: Record<string, number> = {};
    for (const ms of latencies) {
      const b = String(latencyBucket(ms));
      expected[b] = (expected[b] ?? 0) + 1;
    }
    expect(await dims(model.id, "latency")).toEqual(expected);
  });

  it("rolls up the same whether the API sums the batch or PostgreSQL does", async () => {
    // A batch without repeated ids is rolled up in the API (batch-rollups.ts); one with a
    // repeated id is rerun with ON CONFLICT and rolled up in SQL from the rows inserted. The
    // same events through both must leave the same rollups: latencies that REAL rounds (99.1),
    // bucket edges, nulls, several minutes and Models' worth of tools, intents and unicode.
    const rand = mulberry32(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const events = Array.from({ length: 400 }, (_, i) => ({
      id: `ev${i}`,
      timestamp: iso(Math.floor(rand() * 6 * 3_600_000)),
      model: "tool caller",
      version: pick([1, 2, undefined]),
      outcome: pick(["success", "success", "failure"]),
      toolCallValid: pick([true, false, undefined]),
      escalated: pick([true, false, undefined]),
      latencyMs: pick([undefined, 0, 0.1, 9.5, 99.1, 1.1 ** 40 - 1, rand() * 5000, 123.456789]),
      costUsd: pick([undefined, 0, 0.000123, rand() / 10]),
      tool: pick([undefined, "search", "refund", "é — 日本", "a,b"]),
      intent: pick([undefined, "billing", "shipping"]),
    }));
    const api = await fixture("api-sums");
    const pg = await fixture("pg-sums");
    const plain = await postEvents(api.key, events);
    expect(await plain.json()).toEqual({ accepted: 400, duplicates: 0 });
    const rerun = await postEvents(pg.key, [...events, events[17]]);
    expect(await rerun.json()).toEqual({ accepted: 400, duplicates: 1 });

    const a = await rollups(api.model.id);
    const b = await rollups(pg.model.id);
    expect(a.length).toBeGreaterThan(100);
    // Float sums may differ in the last bits: the two sides add in different orders.
    const close = (rows: typeof a) =>
      rows.map((r) => ({
        ...r,
        latencySumMs: Number(Number(r.latencySumMs).toPrecision(10)),
        costSumUsd: Number(Number(r.costSumUsd).toPrecision(10)),
      }));
    expect(close(a)).toEqual(close(b));
    // The cost split by route (kept / escalated) that a Model's live economics reads.
    const routeRows = async (modelId: string) =>
      (
        await sql().query<Record<string, number | string>>(
          `SELECT to_char(minute, 'YYYY-MM-DD"T"HH24:MI') AS minute, "keptCostCount",
                  "keptCostSumUsd", "escalatedCostCount", "escalatedCostSumUsd"
             FROM "TelemetryRollup" WHERE "modelId" = $1 ORDER BY minute`,
          [modelId],
        )
      ).rows.map((r): Record<string, number | string> => ({
        ...r,
        keptCostSumUsd: Number(Number(r.keptCostSumUsd).toPrecision(10)),
        escalatedCostSumUsd: Number(Number(r.escalatedCostSumUsd).toPrecision(10)),
      }));
    const routesApi = await routeRows(api.model.id);
    expect(routesApi.some((r) => Number(r.keptCostCount) > 0)).toBe(true);
    expect(routesApi.some((r) => Number(r.escalatedCostCount) > 0)).toBe(true);
    expect(routesApi).toEqual(await routeRows(pg.model.id));
    const dimRows = async (modelId: string) =>
      (
        await sql().query(
          `SELECT dim, to_char(minute, 'YYYY-MM-DD"T"HH24:MI') AS minute, key, count
             FROM "TelemetryDimRollup" WHERE "modelId" = $1 ORDER BY 1, 2, 3`,
          [modelId],
        )
      ).rows;
    const dimsApi = await dimRows(api.model.id);
    expect(new Set(dimsApi.map((r) => r.dim))).toEqual(new Set(["tool", "intent", "latency"]));
    expect(dimsApi).toEqual(await dimRows(pg.model.id));
  });

  it("stores text exactly as sent: quotes, backslashes, braces, commas, NULL, unicode", async () => {
    const { team, model, key } = await fixture();
    const nasty = ['say "hi"', "back\\slash", "{a,b}", "NULL", "null", "é — 日本", "line\nbreak"];
    const res = await postEvents(
      key,
      nasty.map((text, i) => ({
        id: `${text}#${i}`,
        timestamp: iso(10_000),
        model: "tool caller",
        outcome: "success",
        tool: text,
        intent: nasty[(i + 1) % nasty.length],
        feedback: text,
      })),
    );
    expect(res.status).toBe(202);
    const { rows } = await sql().query<Record<string, string>>(
      `SELECT "eventId", tool, intent, feedback FROM "TelemetryEvent" WHERE "teamId" = $1`,
      [team.id],
    );
    expect(rows.map((r) => [r.eventId, r.tool, r.intent, r.feedback]).sort()).toEqual(
      nasty.map((t, i) => [`${t}#${i}`, t, nasty[(i + 1) % nasty.length], t]).sort(),
    );
    expect(await dims(model.id, "tool")).toEqual(Object.fromEntries(nasty.map((t) => [t, 1])));
  });

  it("accepts NDJSON and gzip, and generates ids for events without one", async () => {
    const { team, model, key } = await fixture();
    const line = (i: number) =>
      JSON.stringify({
        timestamp: iso(120_000),
        model: "tool caller",
        outcome: i % 2 ? "failure" : "success",
        tool: "lookup",
      });
    const ndjson = [0, 1, 2].map(line).join("\n") + "\n";
    const a = await post(key, ndjson, { "content-type": "application/x-ndjson" });
    expect(a.status).toBe(202);
    expect(await a.json()).toEqual({ accepted: 3, duplicates: 0 });

    const b = await post(key, gzipSync(ndjson), {
      "content-type": "application/x-ndjson",
      "content-encoding": "gzip",
    });
    expect(b.status).toBe(202);
    expect(await b.json()).toEqual({ accepted: 3, duplicates: 0 });

    const c = await post(
      key,
      gzipSync(JSON.stringify({ events: [0, 1].map((i) => JSON.parse(line(i))) })),
      {
        "content-encoding": "gzip",
      },
    );
    expect(c.status).toBe(202);
    expect(await c.json()).toEqual({ accepted: 2, duplicates: 0 });

    expect(await stored(team.id)).toBe(8);
    const [r] = await rollups(model.id);
    expect(r).toMatchObject({ samples: 8, failures: 3 });
  });

  it("refuses a batch with any invalid event whole, naming each index and field", async () => {
    const { team, model, key } = await fixture();
    const good = { timestamp: iso(1_000), model: "tool caller", outcome: "success" };
    const res = await postEvents(key, [
      good,
      { ...good, timestamp: "yesterday" },
      { ...good, latencyMs: -3 },
      good,
      { ...good, model: "no such model" },
      { ...good, version: 9 },
      { ...good, timestamp: new Date(NOW + 3 * 86_400_000).toISOString() },
      { ...good, colour: "blue" },
      { ...good, outcome: "meh" },
    ]);
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { code: string; message: string };
      errors: { index: number; field: string; message: string }[];
    };
    expect(body.error.code).toBe("invalid_batch");
    expect(body.error.message).toMatch(/7 of 9 events are invalid.*nothing was stored/);
    expect(body.errors.map((e) => [e.index, e.field])).toEqual([
      [1, "timestamp"],
      [2, "latencyMs"],
      [4, "model"],
      [5, "version"],
      [6, "timestamp"],
      [7, "colour"],
      [8, "outcome"],
    ]);
    for (const e of body.errors) expect(e.message.length).toBeGreaterThan(3);
    expect(await stored(team.id)).toBe(0);
    expect(await rollups(model.id)).toEqual([]);
  });

  it("caps the listed errors and says how many there were", async () => {
    const { team, key } = await fixture();
    const events = Array.from({ length: 250 }, () => ({
      model: "tool caller",
      outcome: "success",
    }));
    const res = await postEvents(key, events);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { message: string }; errors: unknown[] };
    expect(body.errors).toHaveLength(100);
    expect(body.error.message).toMatch(/250 of 250 events are invalid \(250 problems; first 100/);
    expect(await stored(team.id)).toBe(0);
  });

  it("refuses an event nested thousands deep by its index and field, storing nothing", async () => {
    // The route skips the depth scan (events are flat by schema): the deep value must still
    // end as a 422 naming where it is, never as a 500 from a stack overflow.
    const { team, key } = await fixture();
    const deep = `${"[".repeat(50_000)}${"]".repeat(50_000)}`;
    const good = JSON.stringify({ timestamp: iso(0), model: "tool caller", outcome: "success" });
    const res = await post(
      key,
      `{"events":[${good},{"timestamp":"${iso(0)}","model":"tool caller","outcome":"success","tool":${deep}},${deep}]}`,
      { "content-type": "application/json" },
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { index: number; field: string }[] };
    expect(body.errors.map((e) => [e.index, e.field])).toEqual([
      [1, "tool"],
      [2, "(event)"],
    ]);
    expect(await stored(team.id)).toBe(0);
  });

  it("reports an NDJSON line that is not JSON by its index and stores nothing", async () => {
    const { team, key } = await fixture();
    const ok = JSON.stringify({ timestamp: iso(0), model: "tool caller", outcome: "success" });
    const res = await post(key, `${ok}\n{"timestamp": \n${ok}\n`, {
      "content-type": "application/x-ndjson",
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { index: number; field: string }[] };
    expect(body.errors.map((e) => e.index)).toEqual([1]);
    expect(await stored(team.id)).toBe(0);
  });

  it("stores a repeated event id once, within a batch and across batches", async () => {
    const { team, model, key } = await fixture();
    const e = (id: string) => ({
      id,
      timestamp: iso(30_000),
      model: "tool caller",
      outcome: "failure",
      toolCallValid: false,
      latencyMs: 50,
      tool: "search",
    });
    const first = await postEvents(key, [e("a"), e("b"), e("a")]);
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 1 });
    const before = { rollups: await rollups(model.id), tools: await dims(model.id, "tool") };
    expect(before.rollups[0]).toMatchObject({ samples: 2, failures: 2, toolCallErrors: 2 });

    const again = await postEvents(key, [e("b"), e("a"), e("c")]);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 1, duplicates: 2 });
    expect(await stored(team.id)).toBe(3);
    expect((await rollups(model.id))[0]).toMatchObject({ samples: 3, failures: 3 });
    expect(await dims(model.id, "tool")).toEqual({ search: 3 });

    const retry = await postEvents(key, [e("a"), e("b"), e("c")]);
    expect(await retry.json()).toEqual({ accepted: 0, duplicates: 3 });
    expect((await rollups(model.id))[0]).toMatchObject({ samples: 3, failures: 3 });
    expect(await dims(model.id, "tool")).toEqual({ search: 3 });
  });

  it("counts each id once when the same batch arrives several times at once", async () => {
    const { team, model, key } = await fixture();
    const batch = Array.from({ length: 300 }, (_, i) => ({
      id: `r${i}`,
      timestamp: iso(5_000 + i * 100),
      model: "tool caller",
      outcome: "success",
      tool: i % 2 ? "search" : "refund",
      latencyMs: 10 + i,
    }));
    // Opposite orders too: the worst case for lock order between in-flight batches. Eight at
    // once deadlock in PostgreSQL in about one run of four here; each must still end in 202.
    const reversed = [...batch].reverse();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? reversed : batch)).map(async (events) => {
        const res = await postEvents(key, events);
        expect(res.status).toBe(202);
        return telemetryAcceptedSchema.parse(await res.json());
      }),
    );
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(300);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(7 * 300);
    expect(await stored(team.id)).toBe(300);
    const rows = await rollups(model.id);
    expect(rows.reduce((n, r) => n + Number(r.samples), 0)).toBe(300);
    expect(await dims(model.id, "tool")).toEqual({ search: 150, refund: 150 });
  });

  it("keeps event ids per team: the same id in two teams is two events", async () => {
    const a = await fixture("a");
    const b = await fixture("b");
    const ev = { id: "shared", timestamp: iso(0), model: "tool caller", outcome: "success" };
    expect(await (await postEvents(a.key, [ev])).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await (await postEvents(b.key, [ev])).json()).toEqual({ accepted: 1, duplicates: 0 });
  });

  it("refuses another team's model, by name and by id", async () => {
    const mine = await fixture("mine");
    const theirs = await fixture("theirs");
    const other = await db().model.create({
      data: { teamId: theirs.team.id, name: "their model" },
    });
    const base = { timestamp: iso(0), outcome: "success" };
    const res = await postEvents(mine.key, [
      { ...base, model: "their model" },
      { ...base, model: other.id },
      { ...base, model: theirs.model.id },
    ]);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { index: number; field: string }[] };
    expect(body.errors.map((e) => [e.index, e.field])).toEqual([
      [0, "model"],
      [1, "model"],
      [2, "model"],
    ]);
    expect(await stored(mine.team.id)).toBe(0);
    expect(await stored(theirs.team.id)).toBe(0);
  });

  it("needs an API key with the telemetry scope", async () => {
    const { owner, team } = await fixture();
    const { key } = await keyFor(team.id, owner.id, ["read", "write"]);
    const res = await postEvents(key, [
      { timestamp: iso(0), model: "tool caller", outcome: "success" },
    ]);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /telemetry/,
    );
    expect(await stored(team.id)).toBe(0);
  });
});
