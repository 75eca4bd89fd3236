/**
 * Claiming an executor slot for a training job and holding an attempt while it is worked on: both
 * advisory locks on dedicated connections, so two workers never take the last slot or ingest the
 * same output twice, and a crashed worker's locks go with its connection.
 */
import { SLOT_STATUSES } from "@/lib/domain/training-status";
import type pg from "pg";
import { sql } from "@/lib/server/core/db";
import { REFRESH, type RefreshRow, type Run, withRefresh } from "./runs";

/**
 * QUEUED → STARTING when the executor has a free slot and no older job is waiting for it (FIFO).
 * Every job whose trainer may still run holds a slot (SLOT_STATUSES: a CANCELLING job's process
 * is not yet seen gone). A transaction-scoped advisory lock per executor serializes claims, so two workers can never
 * both take the last slot; the counts run after the lock is held, so they see every claim
 * committed before ours. Sent by claimAndStart, with plain SQL (see sql() in core/db).
 */
const CLAIM_SLOT = `
  WITH j AS (
    SELECT id, "createdAt" FROM "TrainingJob" WHERE id = $1 AND status = 'QUEUED' AND attempt = $2
  ), free AS (
    SELECT
      (SELECT count(*) FROM "TrainingJob"
        WHERE executor = $3::"ExecutorKind" AND status IN (${SLOT_STATUSES.map((st) => `'${st}'`).join(", ")}))
      + (SELECT count(*) FROM "TrainingJob" t, j
        WHERE t.executor = $3::"ExecutorKind" AND t.status = 'QUEUED' AND t."createdAt" < j."createdAt")
      < $4 AS ok
  ), claimed AS (
    UPDATE "TrainingJob" t
    SET status = 'STARTING', error = NULL,
        "startedAt" = coalesce(t."startedAt", now() AT TIME ZONE 'UTC'),
        "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM j, free WHERE t.id = j.id AND free.ok
    RETURNING t.id
  ), attempt AS (
    UPDATE "TrainingRunAttempt" a
    SET status = 'STARTING', "startedAt" = now() AT TIME ZONE 'UTC'
    FROM claimed WHERE a."trainingJobId" = claimed.id AND a.attempt = $2 AND a.status = 'QUEUED'
  )
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM claimed) THEN 'claimed'
    WHEN EXISTS (SELECT 1 FROM j) THEN 'wait'
    ELSE 'skip'
  END AS outcome`;

/**
 * Submit's critical path in one round trip: the claim (its own transaction, exactly as
 * claimSlot), then the attempt's lock transaction opened and the claimed fields read back — one
 * simple-protocol message on one connection. When the slot is claimed and the attempt locked,
 * `fn` runs with the fresh run while the lock is held (as withAttemptLock); otherwise it does not.
 */
export async function claimAndStart<T>(
  run: Run,
  limit: number,
  fn: (fresh: Run) => Promise<T>,
  timeoutMs: number,
): Promise<{ outcome: "claimed" | "wait" | "skip"; result: T | null }> {
  const { job, attempt } = run;
  if (!Number.isInteger(attempt.attempt) || !Number.isInteger(limit)) throw new Error("bad claim");
  const client = await sql().connect();
  let dropped = false;
  const timer = setTimeout(() => {
    dropped = true;
    client.release(new Error(`attempt lock held longer than ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    const lit = (v: string) => client.escapeLiteral(v);
    const results = (await client.query(
      `BEGIN;
       SELECT pg_advisory_xact_lock(hashtext(${lit(`retune:training-slots:${job.executor}`)}));
       ${CLAIM_SLOT.replaceAll("$1", lit(job.id))
         .replaceAll("$2", String(attempt.attempt))
         .replaceAll("$3", lit(job.executor))
         .replaceAll("$4", String(limit))};
       COMMIT;
       BEGIN;
       SELECT pg_try_advisory_xact_lock(hashtext(${lit(`retune:attempt:${attempt.id}`)})) AS locked;
       ${REFRESH(lit(attempt.id))};`,
    )) as unknown as { rows: Record<string, unknown>[] }[];
    const outcome =
      (results[2]?.rows[0]?.outcome as "claimed" | "wait" | "skip" | undefined) ?? "skip";
    if (outcome !== "claimed") return { outcome, result: null };
    // Claimed, but another worker's poller holds the attempt (it re-drives starts): it starts it.
    if (!results[5]?.rows[0]?.locked) return { outcome, result: null };
    const fresh = withRefresh(run, results[6]?.rows[0] as RefreshRow | undefined);
    return { outcome, result: fresh ? await fn(fresh) : null };
  } catch (e) {
    if (!dropped) await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
    if (!dropped) await endLockTransaction(client);
  }
}

/**
 * Runs `fn` while holding a transaction-scoped advisory lock on one attempt, or skips it when
 * another poller holds it. Keeps two workers from ingesting the same output twice. The lock
 * lives on a dedicated connection: a crashed worker's connection closes and frees it; after
 * `timeoutMs` the connection is dropped, freeing it too.
 */
export async function withAttemptLock<T>(
  attemptId: string,
  fn: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T | null> {
  const client = await sql().connect();
  let dropped = false;
  const timer = setTimeout(() => {
    dropped = true;
    client.release(new Error(`attempt lock held longer than ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    // One round trip: BEGIN and the try-lock as one simple-protocol message.
    const results = (await client.query(
      `BEGIN; SELECT pg_try_advisory_xact_lock(hashtext(${client.escapeLiteral(`retune:attempt:${attemptId}`)})) AS locked;`,
    )) as unknown as { rows: { locked?: boolean }[] }[];
    if (!results[1]?.rows[0]?.locked) return null;
    return await fn();
  } finally {
    clearTimeout(timer);
    if (!dropped) await endLockTransaction(client);
  }
}

/**
 * Commits the lock's transaction and hands the connection back. A connection that failed (its
 * backend terminated, the network gone) is released with the error, so the pool destroys it
 * instead of lending it out again; the lock went with the backend.
 */
async function endLockTransaction(client: pg.PoolClient): Promise<void> {
  const failed = await client.query("COMMIT").then(
    () => undefined,
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
  client.release(failed);
}
