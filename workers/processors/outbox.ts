import { syncAllSchedulers } from "@/lib/server/retraining/monitor-schedulers";
import { relayOutbox, reconcileOutbox } from "@/lib/server/core/outbox";
import { sweepAbandonedValidations } from "@/lib/server/datasets/validation";
import { sweepAbandonedEvalRuns } from "@/lib/server/evals/execute-run";
import { redriveRetrains, sweepAbandonedRetrains } from "@/lib/server/retraining/retrains";
import { sweepUnstartableRuns } from "@/lib/server/training/run-finish";
import { maintainTelemetry } from "@/lib/server/telemetry/retention";
import { deliverPendingWebhooks } from "@/lib/server/webhooks/webhooks";
import type { Processor } from "../runtime";

const SCHEDULER_SYNC_MS = 60_000;
let lastSchedulerSync = 0;
/**
 * Telemetry partitions and retention (lib/server/telemetry/retention.ts): days are made a week
 * ahead, so every ten minutes is plenty; a tick that left work (a bounded delete) is followed
 * by another at the next reconcile. The first reconcile of a worker runs it at once.
 */
const RETENTION_EVERY_MS = 600_000;
let nextRetention = 0;

/**
 * Maintenance: "relay" moves outbox rows into BullMQ; "reconcile" re-drives what Redis lost;
 * "webhooks" sends due webhook deliveries (signed, retried with backoff).
 */
export const outboxProcessor: Processor<"outbox"> = async (job, _data, { bus, log }) => {
  if (job.name === "relay") return { relayed: await relayOutbox(bus) };
  if (job.name === "reconcile") {
    const redriven = await reconcileOutbox(bus);
    if (redriven) log("reconcile re-enqueued work Redis had lost", { redriven });
    // Rows whose job failed for good end terminal, with the reason (issue 14), lowest feature
    // first: a swept dataset version then fails the retrain waiting on it (redriveRetrains).
    const swept = {
      versions: await sweepAbandonedValidations(),
      runs: await sweepUnstartableRuns(),
      evalRuns: await sweepAbandonedEvalRuns(),
      retrains: await sweepAbandonedRetrains(),
    };
    if (Object.values(swept).some(Boolean))
      log("reconcile ended work that had failed for good", swept);
    const retrains = await redriveRetrains();
    // Monitor and policy schedulers live in Redis; PostgreSQL says which should exist.
    const now = Date.now();
    if (now - lastSchedulerSync > SCHEDULER_SYNC_MS) {
      lastSchedulerSync = now;
      await syncAllSchedulers(bus);
    }
    if (now >= nextRetention) {
      nextRetention = now + RETENTION_EVERY_MS;
      try {
        const r = await maintainTelemetry();
        if (r.more) nextRetention = 0;
        if (r.created.length || r.dropped.length || r.teamRowsDeleted || r.traces.files)
          log("telemetry retention", r);
      } catch (e) {
        // A lock timeout (ingest held the table) or a lost connection: try again in a minute;
        // the reconcile itself has done its part.
        nextRetention = now + 60_000;
        log("telemetry retention failed; retrying in a minute", { error: String(e) });
      }
    }
    return { redriven, retrains, swept };
  }
  if (job.name === "webhooks") return deliverPendingWebhooks();
  throw new Error(`outbox queue: unknown job name ${job.name}`);
};
