/**
 * Many launches naming one new Model at once (a CI matrix, a retry storm): every launch is
 * accepted, the Model is registered once and audited once. Each used to create the Model inside
 * its whole launch transaction, so they queued behind each other's uncommitted insert and, on a
 * loaded host, ran past Prisma's interactive-transaction timeout and answered 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_FLIGHT_STATUSES } from "@/lib/domain/training-status";
import { ownerOfNewTeam } from "@/test/principals";
import { readyVersion, tinyJob } from "@/test/training-helpers";
import type { Principal } from "@/lib/server/core/principal";

const { db } = await import("@/lib/server/core/db");
const { launchTrainingJob } = await import("./launch");

let p: Principal;
let versionId: string;

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("launch-race"));
  versionId = await readyVersion(p, 24);
}, 120_000);

afterAll(async () => {
  // No worker runs here: end the queued jobs so they hold nothing for later test files.
  const where = { teamId: p.teamId, status: { in: [...IN_FLIGHT_STATUSES] } };
  const jobs = await db().trainingJob.findMany({ where, select: { id: true } });
  await db().trainingRunAttempt.updateMany({
    where: { trainingJobId: { in: jobs.map((j) => j.id) } },
    data: { status: "FAILED", finishedAt: new Date() },
  });
  await db().trainingJob.updateMany({
    where,
    data: { status: "FAILED", error: "ended by the test that started it", finishedAt: new Date() },
  });
  const { bus } = await import("@/lib/server/core/queues");
  await bus().close();
});

describe("launches of one new Model name at once", () => {
  it("are all accepted, and register and audit the Model once", async () => {
    const launches = await Promise.allSettled(
      Array.from({ length: 24 }, () => launchTrainingJob(p, tinyJob(versionId, {}, "race model"))),
    );
    const refused = launches.filter((l) => l.status === "rejected");
    expect(refused.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const models = await db().model.findMany({ where: { teamId: p.teamId, name: "race model" } });
    expect(models).toHaveLength(1);
    expect(await db().trainingJob.count({ where: { modelId: models[0]!.id } })).toBe(24);
    const audits = await db().auditEvent.count({
      where: { teamId: p.teamId, action: "model.create", targetId: models[0]!.id },
    });
    expect(audits).toBe(1);
  });
});
