import { relayOutbox, reconcileOutbox } from "@/lib/server/outbox";
import { deliverPendingWebhooks } from "@/lib/server/webhooks";
import type { Processor } from "../runtime";

/**
 * Maintenance: "relay" moves outbox rows into BullMQ; "reconcile" re-drives what Redis lost;
 * "webhooks" sends due webhook deliveries (signed, retried with backoff).
 */
export const outboxProcessor: Processor = async (job, { bus, log }) => {
  if (job.name === "relay") return { relayed: await relayOutbox(bus) };
  if (job.name === "reconcile") {
    const redriven = await reconcileOutbox(bus);
    if (redriven) log("reconcile re-enqueued work Redis had lost", { redriven });
    return { redriven };
  }
  if (job.name === "webhooks") return deliverPendingWebhooks();
  throw new Error(`outbox queue: unknown job name ${job.name}`);
};
