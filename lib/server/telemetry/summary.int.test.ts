/**
 * The telemetry summary against PostgreSQL, through the route handlers with real API keys: the
 * summary equal to what was posted, another team's model and bad windows refused.
 */
import { describe, expect, it } from "vitest";
import { telemetrySummaryQuerySchema, telemetrySummarySchema } from "@/lib/schemas/telemetry";
import { teamRoute } from "@/lib/server/core/http";
import { getTelemetrySummary } from "./summary";
import { ctx, fixture, iso, postEvents } from "./telemetry-fixtures";

// The route as app/api/v1/telemetry/summary declares it (lib/server may not import app/).
const GET = teamRoute("team.read", async (p, req) =>
  getTelemetrySummary(
    p,
    telemetrySummaryQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
);

async function summary(key: string, query: string) {
  const res = await GET(
    new Request(`http://localhost:3999/api/v1/telemetry/summary?${query}`, {
      headers: { authorization: `Bearer ${key}` },
    }),
    ctx,
  );
  return { status: res.status, body: (await res.json()) as unknown };
}

describe("GET /api/v1/telemetry/summary", () => {
  it("matches what was posted: samples, rates, latency, cost, tools, intents, series", async () => {
    const { model, key } = await fixture();
    const tools = ["search", "search", "search", "refund", "lookup"];
    const intents = ["billing", "shipping"];
    const latencies: number[] = [];
    const events = Array.from({ length: 400 }, (_, i) => {
      const latencyMs = 20 + ((i * 37) % 400) * 2.5; // 20 … 1017.5 ms, evenly spread
      latencies.push(latencyMs);
      return {
        id: `s${i}`,
        timestamp: iso(((i * 7919) % 3_600) * 1000 + 60_000), // spread over the last hour
        model: "tool caller",
        version: 1,
        outcome: i % 10 === 0 ? "failure" : "success", // 40 failures
        ...(i % 2 === 0 ? { toolCallValid: i % 8 !== 0 } : {}), // 200 calls, 50 invalid
        ...(i < 100 ? { escalated: i % 4 === 0 } : {}), // 100 known, 25 escalated
        latencyMs,
        costUsd: 0.001,
        tool: tools[i % tools.length],
        intent: intents[i % intents.length],
      };
    });
    expect((await postEvents(key, events)).status).toBe(202);

    const { status, body } = await summary(key, `model=${encodeURIComponent("tool caller")}`);
    expect(status).toBe(200);
    const s = telemetrySummarySchema.parse(body);
    expect(s.model).toEqual({ id: model.id, name: "tool caller" });
    expect(s.window).toBe("1d");
    expect(Date.parse(s.to) - Date.parse(s.from)).toBe(86_400_000);
    expect(s.samples).toBe(400);
    expect(s.rates.failure).toBeCloseTo(40 / 400, 10);
    expect(s.rates.toolCallError).toBeCloseTo(50 / 200, 10);
    expect(s.rates.escalation).toBeCloseTo(25 / 100, 10);
    const sorted = [...latencies].sort((a, b) => a - b);
    const exactP95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
    expect(Math.abs(s.latencyP95Ms! - exactP95) / exactP95).toBeLessThan(0.06);
    expect(s.latencyMeanMs).toBeCloseTo(latencies.reduce((a, b) => a + b, 0) / 400, 6);
    expect(s.costPerCallUsd).toBeCloseTo(0.001, 10);
    expect(s.costUsd).toBeCloseTo(0.4, 8);
    expect(s.tools).toEqual([
      { name: "search", count: 240 },
      { name: "lookup", count: 80 },
      { name: "refund", count: 80 },
    ]);
    expect(s.intents).toEqual([
      { name: "billing", count: 200 },
      { name: "shipping", count: 200 },
    ]);
    expect(s.bucketSeconds).toBe(1_440);
    expect(s.series.length).toBeGreaterThanOrEqual(60);
    expect(s.series.length).toBeLessThanOrEqual(61);
    expect(s.series.reduce((n, pt) => n + pt.samples, 0)).toBe(400);
    const times = s.series.map((pt) => Date.parse(pt.t));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(1_440_000);

    // A 15-minute window holds only what was stamped in it, in 60-second buckets.
    const short = telemetrySummarySchema.parse(
      (await summary(key, `model=${model.id}&window=15m`)).body,
    );
    const recent = events.filter((e) => Date.parse(e.timestamp) >= Date.parse(short.from));
    expect(short.samples).toBe(recent.length);
    expect(short.bucketSeconds).toBe(60);
    expect(short.series).toHaveLength(15);
  });

  it("answers 404 for another team's model and 422 for a bad window", async () => {
    const mine = await fixture("mine");
    const theirs = await fixture("theirs");
    expect((await summary(mine.key, `model=${theirs.model.id}`)).status).toBe(404);
    expect((await summary(mine.key, "model=tool%20caller&window=soon")).status).toBe(422);
    expect((await summary(mine.key, "model=tool%20caller&window=120d")).status).toBe(422);
    const empty = telemetrySummarySchema.parse(
      (await summary(mine.key, "model=tool%20caller&window=7d")).body,
    );
    expect(empty).toMatchObject({ samples: 0, latencyP95Ms: null, costUsd: 0, tools: [] });
    expect(empty.rates).toEqual({ failure: null, toolCallError: null, escalation: null });
  });
});
