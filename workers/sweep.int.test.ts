/**
 * Issue 14: a worker failure must end in a terminal, explained state. A dataset version whose
 * validation job fails for good (the processor dies on it every attempt; BullMQ gives up) is moved
 * INVALID with the reason by the reconciler within its interval, and an upload of the same bytes
 * makes a new version instead of returning the failed one.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { GOOD } from "@/test/dataset-fixtures";
import { ownerOfNewTeam } from "@/test/principals";
import { waitFor } from "@/test/wait-for";
import { db } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { Bus } from "@/lib/server/core/queues";
import {
  createDataset,
  getVersion,
  uploadVersion,
  validationJobId,
} from "@/lib/server/datasets/datasets";
import { validateDatasetVersion } from "@/lib/server/datasets/validation";
import { processors } from "./processors";
import { type Runtime, startWorkers } from "./runtime";

let p: Principal;
let runtime: Runtime | undefined;
const bus = new Bus({
  redisUrl: process.env.REDIS_URL!,
  prefix: `${process.env.BULLMQ_PREFIX}-sweep`,
});
const query = { format: "auto", evalFraction: 0.1, baseModel: "retune/tiny-chat" } as never;
const stream = (buf: Buffer) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(buf);
      c.close();
    },
  });

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("sweep"));
});

afterAll(async () => {
  await runtime?.shutdown();
  await bus.close();
});

it("ends a version whose validation job failed for good INVALID with the reason; a re-upload is new", async () => {
  const d = await createDataset(p, { name: "worker-died" });
  const bytes = Buffer.from(GOOD.join("\n"));
  const first = await uploadVersion(p, d.id, {
    body: stream(bytes),
    contentType: "application/x-ndjson",
    query,
  });
  // A validation worker that dies on this version on every attempt (BullMQ retries, then gives
  // up), beside the real outbox processor (relay and reconcile, every 300 ms here).
  runtime = await startWorkers({
    bus,
    queues: ["outbox", "dataset-validation"],
    processors: {
      outbox: processors.outbox,
      "dataset-validation": () => Promise.reject(new Error("worker lost its analyzer")),
    },
    concurrency: 1,
    graceMs: 1_000,
    reconcileEveryMs: 300,
    trainingPollMs: 60_000,
    log: () => {},
  });
  const swept = await waitFor(
    "the reconciler to end the abandoned version",
    async () => {
      const v = await getVersion(p, first.id);
      return v.status === "INVALID" ? v : null;
    },
    60_000,
  );
  expect(swept.error).toContain("validation failed and was given up");
  expect(swept.error).toContain("worker lost its analyzer");
  const outbox = await db().outbox.findUniqueOrThrow({
    where: { jobId: validationJobId(first.id) },
  });
  expect(outbox.status).toBe("FAILED");
  await runtime.shutdown();
  runtime = undefined;

  // The same bytes again: a new version (not the failed one), which validates READY.
  const again = await uploadVersion(p, d.id, {
    body: stream(bytes),
    contentType: "application/x-ndjson",
    query,
  });
  expect(again.deduplicated).toBe(false);
  expect(again.id).not.toBe(first.id);
  expect((await validateDatasetVersion(again.id)).status).toBe("READY");
  // And a third upload of those bytes is deduplicated to the READY one.
  const third = await uploadVersion(p, d.id, {
    body: stream(bytes),
    contentType: "application/x-ndjson",
    query,
  });
  expect([third.deduplicated, third.id]).toEqual([true, again.id]);
}, 90_000);
