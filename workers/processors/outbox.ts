import { syncAllSchedulers } from "@/lib/server/retraining/monitor-schedulers";
import { relayOutbox, reconcileOutbox } from "@/lib/server/core/outbox";
import { redriveRetrains } from "@/lib/server/retraining/retrains";
import { deliverPendingWebhooks } from "@/lib/server/webhooks/webhooks";
import type { Processor } from "../runtime";

const SCHEDULER_SYNC_MS = 60_000;
let lastSchedulerSync = 0;

/**
 * Maintenance: "relay" moves outbox rows into BullMQ; "reconcile" re-drives what Redis lost;
 * "webhooks" sends due webhook deliveries (signed, retried with backoff).
 */
export const outboxProcessor: Processor<"outbox"> = async (job, _data, { bus, log }) => {
  if (job.name === "relay") return { relayed: await relayOutbox(bus) };
  if (job.name === "reconcile") {
    const redriven = await reconcileOutbox(bus);
    if (redriven) log("reconcile re-enqueued work Redis had lost", { redriven });
    const retrains = await redriveRetrains();
    // Monitor and policy schedulers live in Redis; PostgreSQL says which should exist.
    const now = Date.now();
    if (now - lastSchedulerSync > SCHEDULER_SYNC_MS) {
      lastSchedulerSync = now;
      await syncAllSchedulers(bus);
    }
    return { redriven, retrains };
  }
  if (job.name === "webhooks") return deliverPendingWebhooks();
  throw new Error(`outbox queue: unknown job name ${job.name}`);
};
