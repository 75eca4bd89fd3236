import { afterAll, expect, it } from "vitest";
import { db } from "./db";
import { completeOutboxJob, enqueueInTx, relayOutbox } from "./outbox";
import { Bus } from "./queues";

const bus = new Bus({
  redisUrl: process.env.REDIS_URL!,
  prefix: `${process.env.BULLMQ_PREFIX}-outbox`,
});
afterAll(() => bus.close());

it("commits the enqueue with the transaction, or not at all", async () => {
  await db()
    .$transaction(async (tx) => {
      await enqueueInTx(tx, "evaluation", { evalRunId: "rolled-back" });
      throw new Error("the state change failed");
    })
    .catch(() => {});
  expect(await db().outbox.count({ where: { jobId: "ev-rolled-back" } })).toBe(0);
});

it("dedupes by job id, relays once, and is marked done when the job finishes", async () => {
  await db().$transaction(async (tx) => {
    await enqueueInTx(tx, "evaluation", { evalRunId: "once" });
    await enqueueInTx(tx, "evaluation", { evalRunId: "once" });
  });
  expect(await db().outbox.count({ where: { jobId: "ev-once" } })).toBe(1);
  expect(await relayOutbox(bus)).toBeGreaterThanOrEqual(1);
  expect(await relayOutbox(bus)).toBe(0);
  const job = await bus.queue("evaluation").getJob("ev-once");
  expect(job?.data).toEqual({ evalRunId: "once" });
  await completeOutboxJob("ev-once");
  expect((await db().outbox.findUniqueOrThrow({ where: { jobId: "ev-once" } })).status).toBe(
    "DONE",
  );
});

it("refuses a payload that does not match the queue's schema", async () => {
  await expect(
    db().$transaction((tx) => enqueueInTx(tx, "training", { trainingJobId: "x", attempt: 0 })),
  ).rejects.toThrow(/attempt/);
});
