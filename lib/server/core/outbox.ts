/**
 * Transactional outbox: an enqueue that belongs to a state change is a row written in the same
 * transaction, so a crash can never commit the change and lose the job (or the reverse).
 * The relay moves rows into BullMQ; the reconciler re-adds what Redis has forgotten.
 */
import { db, sql, type Tx } from "./db";
import { type Bus, jobIdFor, type Payload, QUEUES, type QueueName } from "./queues";

export async function enqueueInTx<Q extends QueueName>(tx: Tx, queue: Q, payload: Payload<Q>) {
  const data = QUEUES[queue].payload.parse(payload);
  const jobId = jobIdFor(queue, data as Payload<Q>);
  if (!jobId)
    throw new Error(`queue ${queue} has no job id rule; outbox enqueues must be idempotent`);
  // A repeated enqueue of the same job id is a no-op, like BullMQ's own dedupe by job id.
  await tx.outbox.upsert({
    where: { jobId },
    create: { queue, jobName: queue, jobId, payload: data },
    update: {},
  });
  return jobId;
}

type Row = { id: string; queue: string; jobName: string; jobId: string; payload: unknown };

async function addRow(bus: Bus, row: Row) {
  const queue = row.queue as QueueName;
  if (!Object.hasOwn(QUEUES, queue))
    throw new Error(`outbox row ${row.id}: unknown queue ${row.queue}`);
  await bus.add(queue, row.payload as Payload<typeof queue>, row.jobId);
}

/** Moves PENDING rows into BullMQ. Safe to run from several processes (SKIP LOCKED). */
export async function relayOutbox(bus: Bus, limit = 200): Promise<number> {
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Row[]>`
      SELECT id, queue, "jobName", "jobId", payload FROM "Outbox"
      WHERE status = 'PENDING' ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    const sent: string[] = [];
    for (const row of rows) {
      try {
        await addRow(bus, row);
        sent.push(row.id);
      } catch (e) {
        await tx.outbox.update({
          where: { id: row.id },
          data: { lastError: String((e as Error).message).slice(0, 500) },
        });
      }
    }
    if (sent.length) {
      await tx.outbox.updateMany({
        where: { id: { in: sent }, status: "PENDING" },
        data: { status: "DISPATCHED", dispatchedAt: new Date() },
      });
    }
    return sent.length;
  });
}

/** Called by the worker when the job for this id finished its work. */
export async function completeOutboxJob(jobId: string): Promise<void> {
  // Plain SQL: one per finished job on every queue (see sql() in ./db).
  await sql().query(
    `UPDATE "Outbox" SET status = 'DONE', "completedAt" = now() AT TIME ZONE 'UTC'
     WHERE "jobId" = $1 AND status IN ('PENDING', 'DISPATCHED')`,
    [jobId],
  );
}

export async function failOutboxJob(jobId: string, error: string): Promise<void> {
  await db().outbox.updateMany({
    where: { jobId, status: { in: ["PENDING", "DISPATCHED"] } },
    data: { status: "FAILED", completedAt: new Date(), lastError: error.slice(0, 2_000) },
  });
}

/**
 * Re-drives work the database says is moving but Redis no longer holds (a FLUSHALL, a Redis
 * without persistence restarting, an eviction). Level-triggered and idempotent.
 */
export async function reconcileOutbox(bus: Bus, batch = 500): Promise<number> {
  let redriven = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await db().outbox.findMany({
      where: { status: "DISPATCHED" },
      orderBy: { id: "asc" },
      take: batch,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!rows.length) return redriven;
    for (const row of rows) {
      const job = await bus.queue(row.queue as QueueName).getJob(row.jobId);
      if (job) {
        // Failed for good, but the worker could not record it (the database was away when the
        // job gave up): record it now, so the row's owner is swept into a terminal state.
        if (job.finishedOn && (await job.isFailed()))
          await failOutboxJob(row.jobId, job.failedReason || "the job failed");
        continue;
      }
      await addRow(bus, row);
      await db().outbox.update({
        where: { id: row.id },
        data: { redispatches: { increment: 1 }, dispatchedAt: new Date() },
      });
      redriven++;
    }
    cursor = rows.at(-1)?.id;
  }
}

/** Best-effort immediate dispatch after a commit; the relay catches whatever this misses. */
export async function dispatchSoon(bus: Bus): Promise<void> {
  await relayOutbox(bus, 50).catch(() => 0);
}

/**
 * Dispatches one committed outbox row right away: add its job (idempotent by job id), then mark
 * the row DISPATCHED. Cheaper than a relay sweep on the request path, and if Redis is down the
 * row stays PENDING for the relay. Call after the transaction that wrote the row commits.
 *
 * The mark is not awaited and is batched: concurrent launches share one UPDATE. Until it lands
 * the relay may add the same job id again, which BullMQ ignores (and submit is guarded).
 */
export async function dispatchNow<Q extends QueueName>(bus: Bus, queue: Q, payload: Payload<Q>) {
  const jobId = jobIdFor(queue, payload);
  try {
    await bus.add(queue, payload, jobId);
  } catch {
    return; // The relay (every 2 s) moves the row when Redis is back.
  }
  if (jobId) markDispatched(jobId);
}

const toMark = new Set<string>();
let flushing: Promise<void> | null = null;

function markDispatched(jobId: string) {
  toMark.add(jobId);
  flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flushMarks);
}

async function flushMarks(): Promise<void> {
  const ids = [...toMark];
  toMark.clear();
  try {
    await sql().query(
      `UPDATE "Outbox" SET status = 'DISPATCHED', "dispatchedAt" = now() AT TIME ZONE 'UTC'
       WHERE "jobId" = ANY($1::text[]) AND status = 'PENDING'`,
      [ids],
    );
  } catch {
    // Left PENDING: the relay re-adds (a no-op in BullMQ) and marks them.
  } finally {
    flushing = null;
    if (toMark.size) markDispatched([...toMark][0]!);
  }
}

/** Resolves once marks queued so far are written (tests and shutdown). */
export async function flushDispatchMarks(): Promise<void> {
  while (flushing) await flushing;
}
