/**
 * Telemetry retention (lib/server/telemetry/retention.ts) on real PostgreSQL, here in
 * retraining/ because it checks the monitors too: events over several days land in day
 * partitions (or the DEFAULT, then moved), days past every team's retention are dropped as partitions, a team
 * that keeps less loses its own rows only, rollups stay, monitors read the same values, and
 * trace files go with their rows.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { artifactPath } from "@/lib/server/core/artifacts";
import { db, sql } from "@/lib/server/core/db";
import { ownerOfNewTeam } from "@/test/principals";
import type { Principal } from "@/lib/server/core/principal";
import { updateTeamSettings } from "@/lib/server/teams/settings";
import {
  DAY_MS,
  dayStart,
  DEFAULT_PARTITION,
  listDayPartitions,
  partitionName,
} from "@/lib/server/telemetry/partitions";
import { maintainTelemetry } from "@/lib/server/telemetry/retention";
import { telemetryStorage } from "@/lib/server/telemetry/storage";
import { fixture, NOW, postEvents } from "@/lib/server/telemetry/telemetry-fixtures";
import { writeTraceFile } from "@/lib/server/telemetry/trace-store";
import { checkMonitor } from "./monitor-checks";
import { createMonitor } from "./monitors";

const today = dayStart(NOW);
/**
 * The `i`-th of ten instants on the day `n` days ago, all at the same time of day and all
 * before NOW: they are spread over the part of today that has passed, so today's events are
 * in the past (a monitor's window ends at now) however early in the UTC day the run starts.
 * Noon was used before, and a run at 00:15 UTC found today's ten events in the future.
 */
const sinceMidnight = NOW - today;
const at = (n: number, i = 0) =>
  new Date(today - n * DAY_MS + Math.floor((sinceMidnight * (i + 1)) / 12)).toISOString();

const DAYS_AGO = [45, 20, 3, 0];

/** The fixture team's OWNER as a Principal. */
const ownerOf = (f: { team: { id: string }; owner: { id: string } }): Principal => ({
  teamId: f.team.id,
  actor: { kind: "user", role: "OWNER" },
  userId: f.owner.id,
  apiKeyId: null,
  ip: null,
});

async function post(key: string, tag: string) {
  // Per day: 10 events, 2 failures.
  const events = DAYS_AGO.flatMap((n) =>
    Array.from({ length: 10 }, (_, i) => ({
      id: `${tag}-${n}-${i}`,
      timestamp: at(n, i),
      model: "tool caller",
      outcome: i < 2 ? "failure" : "success",
      latencyMs: 100 + i,
    })),
  );
  const res = await postEvents(key, events);
  expect(res.status).toBe(202);
}

async function eventsByDay(teamId: string) {
  const { rows } = await sql().query<{ day: string; n: number }>(
    `SELECT to_char(timestamp, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM "TelemetryEvent"
      WHERE "teamId" = $1 GROUP BY 1 ORDER BY 1`,
    [teamId],
  );
  return Object.fromEntries(rows.map((r) => [r.day, r.n]));
}

const isoDay = (n: number) => new Date(today - n * DAY_MS).toISOString().slice(0, 10);

async function inDefault(day?: string) {
  const { rows } = await sql().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "${DEFAULT_PARTITION}"
      WHERE $1::text IS NULL OR to_char(timestamp, 'YYYY-MM-DD') = $1`,
    [day ?? null],
  );
  return rows[0]!.n;
}

async function untilDone(now?: number) {
  for (let i = 0; i < 20; i++) {
    const r = await maintainTelemetry({ now });
    expect(r.ran).toBe(true);
    if (!r.more) return r;
  }
  throw new Error("maintenance never finished");
}

describe("telemetry retention", () => {
  it("drops whole days past the longest retention, trims shorter ones, keeps rollups", async () => {
    // Partitions as a maintenance 45 days ago made them: the 45-days-ago day is a partition.
    await untilDone(NOW - 45 * DAY_MS);
    const a = await fixture("ret-a");
    const b = await fixture("ret-b");
    const aOwner = ownerOf(a);
    await post(a.key, "a");
    await post(b.key, "b");

    // Nothing made a partition for 20 days ago: those events wait in the DEFAULT.
    expect(await inDefault(isoDay(20))).toBe(20);
    const full = { [isoDay(45)]: 10, [isoDay(20)]: 10, [isoDay(3)]: 10, [isoDay(0)]: 10 };
    expect(await eventsByDay(a.team.id)).toEqual(full);

    // Team A keeps 7 days; B keeps the default 30.
    await updateTeamSettings(aOwner, { telemetryRetentionDays: 7 });

    const monitor = await createMonitor(aOwner, {
      model: "tool caller",
      metric: "failure_rate",
      window: "60d",
      threshold: 0.5,
      minSamples: 1,
    });
    const week = await createMonitor(aOwner, {
      model: "tool caller",
      metric: "failure_rate",
      window: "7d",
      threshold: 0.5,
      minSamples: 1,
    });
    const before = await checkMonitor(aOwner, monitor.id);
    const weekBefore = await checkMonitor(aOwner, week.id);
    expect(before).toMatchObject({ samples: 40, value: 0.2 });
    expect(weekBefore.samples).toBe(20);
    const rollupsBefore = await sql().query(
      `SELECT count(*)::int AS n FROM "TelemetryRollup" WHERE "modelId" = ANY($1)`,
      [[a.model.id, b.model.id]],
    );

    const report = await untilDone();
    // The 45-days-ago partition is past B's 30 days, the longest: dropped whole.
    expect(report.dropped).toContain(isoDay(45));
    const days = (await listDayPartitions()).map((p) => p.name);
    expect(days).not.toContain(partitionName(today - 45 * DAY_MS));
    // The DEFAULT's days moved into partitions of their own; days ahead exist.
    for (const n of [20, 3, 0, -7]) expect(days).toContain(partitionName(today - n * DAY_MS));
    expect(await inDefault()).toBe(0);
    expect(report.movedFromDefault).toBeGreaterThanOrEqual(20);

    // B keeps 30 days; A keeps 7: its 20-days-ago rows went, B's stayed in the same partition.
    expect(await eventsByDay(b.team.id)).toEqual({
      [isoDay(20)]: 10,
      [isoDay(3)]: 10,
      [isoDay(0)]: 10,
    });
    expect(await eventsByDay(a.team.id)).toEqual({ [isoDay(3)]: 10, [isoDay(0)]: 10 });
    expect(report.teamRowsDeleted).toBeGreaterThanOrEqual(10);

    // Rollups are untouched, so monitors read exactly what they read before.
    const rollupsAfter = await sql().query(
      `SELECT count(*)::int AS n FROM "TelemetryRollup" WHERE "modelId" = ANY($1)`,
      [[a.model.id, b.model.id]],
    );
    expect(rollupsAfter.rows).toEqual(rollupsBefore.rows);
    const after = await checkMonitor(aOwner, monitor.id);
    expect(after).toMatchObject({ samples: before.samples, value: before.value });
    const weekAfter = await checkMonitor(aOwner, week.id);
    expect(weekAfter).toMatchObject({ samples: weekBefore.samples, value: weekBefore.value });

    // A resent event of a kept day is still a duplicate after its move out of the DEFAULT.
    const again = await postEvents(a.key, [
      { id: "a-3-0", timestamp: at(3, 0), model: "tool caller", outcome: "failure" },
    ]);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 1 });

    // A second tick finds nothing to do.
    const idle = await maintainTelemetry();
    expect(idle).toMatchObject({ created: [], dropped: [], teamRowsDeleted: 0, more: false });

    const storage = await telemetryStorage(aOwner);
    expect(storage.events.partitions).toBeGreaterThanOrEqual(9);
    expect(storage.events.bytes).toBeGreaterThan(0);
    expect(storage.events.oldestDay! <= isoDay(20)).toBe(true);
    expect(storage.rollups.rows).toBeGreaterThan(0);
  });

  it("removes a team's trace files and rows older than its retention", async () => {
    const f = await fixture("ret-traces");
    const { team, model } = f;
    const p = ownerOf(f);
    await updateTeamSettings(p, { telemetryRetentionDays: 7 });
    const trace = (id: string) => ({
      traceId: id,
      timestamp: new Date(NOW).toISOString(),
      model: model.id,
      messages: [
        { role: "user" as const, content: "hi" },
        { role: "assistant" as const, content: "hello" },
      ],
      tools: null,
      outcome: "success" as const,
      correctedBy: null,
      metadata: null,
    });
    const files = [];
    for (const [id, daysAgo] of [
      ["old", 10],
      ["new", 1],
    ] as const) {
      const [loc] = await writeTraceFile(team.id, [trace(id)], new Date(NOW - daysAgo * DAY_MS));
      await db().trace.create({
        data: {
          teamId: team.id,
          modelId: model.id,
          traceId: id,
          timestamp: new Date(NOW - daysAgo * DAY_MS),
          outcome: "success",
          storageUri: loc!.storageUri,
          offset: loc!.offset,
          length: loc!.length,
          messageCount: 2,
          toolsCalled: [],
        },
      });
      files.push(artifactPath(loc!.storageUri));
    }
    const report = await untilDone();
    expect(report.traces.files).toBeGreaterThanOrEqual(1);
    const left = await db().trace.findMany({
      where: { teamId: team.id },
      select: { traceId: true },
    });
    expect(left.map((t) => t.traceId)).toEqual(["new"]);
    expect(existsSync(files[0]!)).toBe(false);
    expect(existsSync(files[1]!)).toBe(true);
  });

  it("refuses a retention outside 1–365 days, naming the field", async () => {
    const { p } = await ownerOfNewTeam("ret-bad");
    const { updateTeamSettingsBodySchema } = await import("@/lib/schemas/teams");
    const bad = updateTeamSettingsBodySchema.safeParse({ telemetryRetentionDays: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toContain("telemetryRetentionDays must be at least 1");
    expect(
      updateTeamSettingsBodySchema.safeParse({ telemetryRetentionDays: 366 }).error!.issues[0]!
        .message,
    ).toContain("at most 365");
    const viewer = { ...p, actor: { kind: "user" as const, role: "ENGINEER" as const } };
    await expect(updateTeamSettings(viewer, { telemetryRetentionDays: 3 })).rejects.toMatchObject({
      status: 403,
    });
  });
});
