import { relayOutbox, reconcileOutbox } from "@/lib/server/outbox";
import type { Processor } from "../runtime";

/** Maintenance: "relay" moves outbox rows into BullMQ; "reconcile" re-drives what Redis lost. */
export const outboxProcessor: Processor = async (job, { bus, log }) => {
  if (job.name === "relay") return { relayed: await relayOutbox(bus) };
  if (job.name === "reconcile") {
    const redriven = await reconcileOutbox(bus);
    if (redriven) log("reconcile re-enqueued work Redis had lost", { redriven });
    return { redriven };
  }
  throw new Error(`outbox queue: unknown job name ${job.name}`);
};
