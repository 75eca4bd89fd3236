/**
 * A Model's live economics against PostgreSQL, through the route handler with real API keys:
 * telemetry posted through POST /api/v1/telemetry (the rollups the ingest builds), training jobs
 * and eval runs with recorded costs, a retrain policy's cadence; every figure checked against a
 * hand computation over the posted events. Also the demo Model's telemetry (acceptance 3 of
 * issue #17), another team's key (404), a Model without telemetry, and drift monitors on the cost
 * per call and the escalation share agreeing with the panel.
 */
import { describe, expect, it } from "vitest";
import { demoTelemetryEvents } from "@/test/fixtures/demo-telemetry";
import { keyFor } from "@/test/principals";
import { modelEconomicsQuerySchema, modelEconomicsSchema } from "@/lib/schemas/model-economics";
import type { Principal } from "@/lib/server/core/principal";
import { db } from "@/lib/server/core/db";
import { teamRoute } from "@/lib/server/core/http";
import { fixture, iso, NOW, postEvents } from "@/lib/server/telemetry/telemetry-fixtures";
import { getModelEconomics } from "./model-economics";
import { checkMonitor } from "./monitor-checks";
import { createMonitor } from "./monitors";

// The route as app/api/v1/models/[id]/economics declares it (lib/server may not import app/).
const GET = teamRoute("team.read", async (p, req, { id }) =>
  getModelEconomics(
    p,
    id!,
    modelEconomicsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
);

async function economics(key: string, model: string, query = "") {
  const res = await GET(
    new Request(
      `http://localhost:3999/api/v1/models/${encodeURIComponent(model)}/economics${query}`,
      {
        headers: { authorization: `Bearer ${key}` },
      },
    ),
    { params: Promise.resolve({ id: model }) },
  );
  return { status: res.status, body: (await res.json()) as unknown };
}

const DAY = 86_400_000;
const MONTH_DAYS = 365.25 / 12;

type Posted = {
  timestamp: string;
  escalated?: boolean;
  costUsd?: number;
};

/** What a person would compute from the events: sums over those in [from, to). */
function hand(events: Posted[], from: number, to: number) {
  const inside = events.filter((e) => {
    const t = Date.parse(e.timestamp);
    return t >= from && t < to;
  });
  const costed = inside.filter((e) => e.costUsd !== undefined);
  const sum = (xs: Posted[]) => xs.reduce((s, e) => s + e.costUsd!, 0);
  const kept = costed.filter((e) => e.escalated === false);
  const escalated = costed.filter((e) => e.escalated === true);
  const frontierPerCall = escalated.length ? sum(escalated) / escalated.length : null;
  return {
    calls: inside.length,
    routeKnown: inside.filter((e) => e.escalated !== undefined).length,
    escalated: inside.filter((e) => e.escalated === true).length,
    kept: inside.filter((e) => e.escalated === false).length,
    costed: costed.length,
    unattributed: costed.length - kept.length - escalated.length,
    actualUsd: costed.length ? sum(costed) : null,
    keptPerCall: kept.length ? sum(kept) / kept.length : null,
    escalatedPerCall: frontierPerCall,
    allPerCall: costed.length ? sum(costed) / costed.length : null,
    frontierOnlyUsd: frontierPerCall === null ? null : costed.length * frontierPerCall,
  };
}

/** Sums differ from PostgreSQL's only in the order floats are added. */
const near = (actual: number | null | undefined, expected: number | null) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

function principalOf(teamId: string, userId: string): Principal {
  return {
    teamId,
    actor: { kind: "user", role: "OWNER" },
    userId,
    apiKeyId: null,
    ip: null,
  };
}

/** A dataset version row for jobs and a suite to point at (never read: no file behind it). */
async function datasetAndSuite(teamId: string) {
  const ds = await db().dataset.create({ data: { teamId, name: `econ-${teamId}` } });
  const dv = await db().datasetVersion.create({
    data: {
      teamId,
      datasetId: ds.id,
      version: 1,
      contentHash: "e".repeat(64),
      storageUri: "artifact:none",
      status: "READY",
    },
  });
  const suite = await db().evalSuite.create({
    data: { teamId, name: `econ-suite-${teamId}`, datasetVersionId: dv.id, scorers: ["tool_call"] },
  });
  return { datasetVersionId: dv.id, suiteId: suite.id };
}

describe("GET /api/v1/models/{id}/economics", () => {
  it("matches a hand computation from the posted telemetry, training jobs and eval runs", async () => {
    const { owner, team, model, key } = await fixture("econ");
    // 600 calls over the last 20 days and 24 from 45 days ago (outside the 30-day window, inside
    // "to date"): kept, escalated, route not reported, and a few with no cost at all.
    const events = [
      ...Array.from({ length: 600 }, (_, i) => {
        const route = i % 10; // 0-1 escalated, 2-8 kept, 9 no route
        return {
          id: `e${i}`,
          timestamp: iso(DAY + ((i * 7_919) % 19) * DAY + (i % 97) * 60_000),
          model: "tool caller",
          version: 1,
          outcome: "success",
          ...(route < 9 ? { escalated: route < 2 } : {}),
          ...(i % 31 === 0
            ? {}
            : { costUsd: route < 2 ? 0.011 + (i % 7) * 0.0005 : route < 9 ? 0.0006 : 0.002 }),
        };
      }),
      ...Array.from({ length: 24 }, (_, i) => ({
        id: `old${i}`,
        timestamp: iso(45 * DAY + i * 60_000),
        model: "tool caller",
        outcome: "success",
        escalated: i % 3 === 0,
        costUsd: i % 3 === 0 ? 0.02 : 0.001,
      })),
    ];
    expect((await postEvents(key, events)).status).toBe(202);

    const { datasetVersionId, suiteId } = await datasetAndSuite(team.id);
    const job = (status: "SUCCEEDED" | "FAILED", costUsd: number | null, n: number) =>
      db().trainingJob.create({
        data: {
          teamId: team.id,
          modelId: model.id,
          name: `tool caller #${n}`,
          status,
          method: "LORA",
          baseModel: "retune/tiny-chat",
          datasetVersionId,
          spec: {},
          costUsd,
        },
      });
    await job("SUCCEEDED", 4.5, 1);
    await job("FAILED", 1, 2); // its GPU time was paid all the same
    await job("SUCCEEDED", null, 3); // no cost recorded: counted as a tune, not as spend
    const v1 = await db().modelVersion.findFirstOrThrow({
      where: { modelId: model.id, version: 1 },
    });
    const run = (status: "SUCCEEDED" | "FAILED", metrics: object, caseCount: number, n: number) =>
      db().evalRun.create({
        data: {
          teamId: team.id,
          suiteId,
          targetKind: "MODEL_VERSION",
          target: { modelVersionId: v1.id },
          targetKey: `version:${v1.id}`,
          modelVersionId: v1.id,
          inputHash: `econ-${n}`,
          status,
          metrics,
          caseCount,
        },
      });
    await run("SUCCEEDED", { tool_call_accuracy: 0.8, cost_per_1k_usd: 2 }, 50, 1); // $0.10
    await run("SUCCEEDED", { tool_call_accuracy: 0.7 }, 40, 2); // local generation: no price
    await run("FAILED", { cost_per_1k_usd: 9 }, 10, 3); // not a finished run
    // Monthly re-tunes: the cron fires 12 times a year, so a tune is amortised over one month.
    await db().retrainPolicy.create({
      data: {
        teamId: team.id,
        modelId: model.id,
        schedule: "0 6 1 * *",
        timezone: "UTC",
        datasetRecipe: {},
      },
    });

    const { status, body } = await economics(key, model.id);
    expect(status).toBe(200);
    const e = modelEconomicsSchema.parse(body);
    const to = Date.parse(e.window.to);
    // The next UTC midnight after the request (one more if midnight passed during the test).
    expect(to % DAY).toBe(0);
    expect(to - NOW).toBeGreaterThan(0);
    expect(to - Date.now()).toBeLessThanOrEqual(DAY);
    const from = to - 30 * DAY;
    expect(e.window).toEqual({ days: 30, from: new Date(from).toISOString(), to: e.window.to });
    expect(e.model).toEqual({ id: model.id, name: "tool caller" });

    const w = hand(events, from, to);
    expect(e.hasTelemetry).toBe(true);
    expect(e.totals).toMatchObject({
      calls: w.calls,
      routeKnown: w.routeKnown,
      escalated: w.escalated,
      kept: w.kept,
      costedCalls: w.costed,
      unattributedCostCalls: w.unattributed,
    });
    expect(w.calls).toBe(600);
    near(e.totals.actualUsd, w.actualUsd);
    near(e.totals.costPerCall.kept.usd, w.keptPerCall);
    near(e.totals.costPerCall.escalated.usd, w.escalatedPerCall);
    near(e.totals.costPerCall.all.usd, w.allPerCall);
    near(e.totals.frontierOnlyUsd, w.frontierOnlyUsd);
    near(e.keptShare, w.kept / w.routeKnown);
    near(e.escalatedShare, w.escalated / w.routeKnown);

    // Days: every UTC day of the window, oldest first, with its calls and costs.
    expect(e.daily).toHaveLength(30);
    for (const [i, d] of e.daily.entries()) {
      expect(d.day).toBe(new Date(from + i * DAY).toISOString());
      const h = hand(events, from + i * DAY, from + (i + 1) * DAY);
      expect([d.calls, d.escalated, d.routeKnown, d.costedCalls]).toEqual([
        h.calls,
        h.escalated,
        h.routeKnown,
        h.costed,
      ]);
      near(d.actualUsd, h.actualUsd);
      near(d.frontierOnlyUsd, h.costed ? h.costed * w.escalatedPerCall! : null);
    }
    const days = e.daily.filter((d) => d.calls > 0).length;
    expect(e.daysWithCalls).toBe(days);
    near(e.callsPerDay, w.calls / days);

    // Re-tunes: ($4.50 + $1 + $0.10) over 2 succeeded jobs, each amortised over one month.
    expect(e.retune.cadence).toMatchObject({ source: "policy", schedule: "0 6 1 * *" });
    near(e.retune.cadence.months, 1);
    expect(e.retune.training).toEqual({ usd: 5.5, jobs: 3, jobsWithCost: 2, succeeded: 2 });
    expect(e.retune.eval.runs).toBe(2);
    expect(e.retune.eval.runsWithCost).toBe(1);
    near(e.retune.eval.usd, (2 * 50) / 1000);
    const perTune = (5.5 + 0.1) / 2;
    near(e.retune.perTuneUsd, perTune);
    near(e.retune.monthlyUsd, perTune);
    const retuneWindow = (perTune * 30) / MONTH_DAYS;
    near(e.summary.retuneUsd, retuneWindow);
    near(e.summary.hybridUsd, w.actualUsd! + retuneWindow);
    near(e.summary.savingsUsd, w.frontierOnlyUsd! - w.actualUsd! - retuneWindow);

    // To date: every posted event, net of all training and eval spend.
    const all = hand(events, 0, to);
    expect(e.toDate.totals.calls).toBe(624);
    near(e.toDate.totals.actualUsd, all.actualUsd);
    near(e.toDate.totals.frontierOnlyUsd, all.frontierOnlyUsd);
    near(e.toDate.spendUsd, 5.6);
    near(e.toDate.savingsUsd, all.frontierOnlyUsd! - all.actualUsd! - 5.6);
    const first = Math.min(...events.map((x) => Date.parse(x.timestamp)));
    expect(e.toDate.since).toBe(new Date(Math.floor(first / DAY) * DAY).toISOString());
    expect(e.basis.join(" ")).toContain("escalated call");

    // A shorter window by ?days= and by name; a bad window is a 422 naming the field.
    const week = modelEconomicsSchema.parse((await economics(key, "tool caller", "?days=7")).body);
    expect(week.totals.calls).toBe(hand(events, to - 7 * DAY, to).calls);
    near(week.summary.retuneUsd, (perTune * 7) / MONTH_DAYS);
    const bad = await economics(key, model.id, "?days=0");
    expect(bad.status).toBe(422);

    // Drift monitors watch the same figures: cost per call and escalation share over 90 days
    // (every posted event) equal the panel's to-date figures.
    const p = principalOf(team.id, owner.id);
    const watch = async (metric: "cost_per_call_usd" | "escalation_rate") => {
      const m = await createMonitor(p, {
        model: model.id,
        metric,
        window: "90d",
        threshold: 1,
        minSamples: 1,
        action: "alert",
      });
      return checkMonitor(p, m.id);
    };
    const cost = await watch("cost_per_call_usd");
    near(cost.value, e.toDate.totals.costPerCall.all.usd);
    expect(cost.samples).toBe(e.toDate.totals.costedCalls);
    const escalation = await watch("escalation_rate");
    near(escalation.value, e.toDate.totals.escalated / e.toDate.totals.routeKnown);
    expect(escalation.samples).toBe(e.toDate.totals.routeKnown);
  });

  it("for the demo Model's posted telemetry, equals a hand computation from its events", async () => {
    const { model, key } = await fixture("econ-demo");
    const events = demoTelemetryEvents("tool caller", NOW - 60_000, "econ");
    expect((await postEvents(key, events)).status).toBe(202);
    const e = modelEconomicsSchema.parse((await economics(key, model.id)).body);
    const to = Date.parse(e.window.to);
    const h = hand(events, to - 30 * DAY, to);
    expect(h.calls).toBe(events.length);
    expect(e.totals).toMatchObject({
      calls: h.calls,
      routeKnown: h.routeKnown,
      escalated: h.escalated,
      kept: h.kept,
      costedCalls: h.costed,
      unattributedCostCalls: 0,
    });
    near(e.totals.actualUsd, h.actualUsd);
    near(e.totals.costPerCall.kept.usd, h.keptPerCall);
    near(e.totals.costPerCall.escalated.usd, h.escalatedPerCall);
    near(e.totals.frontierOnlyUsd, h.frontierOnlyUsd);
    near(e.escalatedShare, h.escalated / h.routeKnown);
    // A panel worth showing: most calls stay on the small model, and the hybrid costs less.
    expect(e.keptShare!).toBeGreaterThan(0.8);
    expect(e.summary.savingsUsd!).toBeGreaterThan(0);
    // No training job: nothing to amortise yet, and the panel says so rather than $0.
    expect(e.retune.perTuneUsd).toBeNull();
    expect(e.retune.cadence.source).toBe("default");
    expect(e.summary.hybridUsd).toBe(e.summary.actualUsd);
  });

  it("is an empty state, not zeros, for a Model without telemetry; another team's key gets 404", async () => {
    const { model, key } = await fixture("econ-empty");
    const e = modelEconomicsSchema.parse((await economics(key, model.id)).body);
    expect(e.hasTelemetry).toBe(false);
    expect(e.summary.actualUsd).toBeNull();
    expect(e.summary.frontierOnlyUsd).toBeNull();
    expect(e.toDate.since).toBeNull();
    expect(e.daily.every((d) => d.actualUsd === null && d.calls === 0)).toBe(true);

    const stranger = await fixture("econ-stranger");
    const { key: otherKey } = await keyFor(stranger.team.id, stranger.owner.id, ["read"]);
    for (const ref of [model.id, "tool caller"]) {
      const res = await economics(otherKey, ref);
      // By name, "tool caller" is the stranger's own Model: its figures, not this team's.
      if (ref === "tool caller") {
        expect(res.status).toBe(200);
        expect(modelEconomicsSchema.parse(res.body).model.id).toBe(stranger.model.id);
      } else expect(res.status).toBe(404);
    }
  });
});
