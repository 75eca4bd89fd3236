import { runCheck } from "@/lib/server/retraining/monitor-checks";
import { runScheduledRetrain } from "@/lib/server/retraining/retrain-policies";
import { buildRetrainDataset } from "@/lib/server/retraining/retrains";
import type { Processor } from "../runtime";

/**
 * `monitoring` (docs/architecture.md, "Queues"): a monitor's scheduled check, a retrain policy's cron firing, and
 * the dataset build of an opened retrain. Each is idempotent: checks are evidence (a repeat is
 * one more row), firings and builds are keyed in the database.
 */
export const monitoringProcessor: Processor<"monitoring"> = async (job, data, { log }) => {
  if ("monitorId" in data) {
    const r = await runCheck(data.monitorId, { source: "schedule" });
    if (r?.breached)
      log("monitor breached", {
        monitorId: data.monitorId,
        value: r.value,
        outcome: r.check.outcome,
      });
    return r ? { value: r.value, samples: r.samples, breached: r.breached } : { skipped: true };
  }
  if ("policyId" in data) {
    // The firing is the scheduled time, not when a busy worker got to it.
    const at = new Date(job.timestamp + (job.opts.delay ?? 0));
    const opened = await runScheduledRetrain(data.policyId, at);
    if (opened)
      log("scheduled retrain", { policyId: data.policyId, status: opened.request.status });
    return opened ? { retrainRequestId: opened.request.id, created: opened.created } : null;
  }
  await buildRetrainDataset(data.retrainRequestId);
  return { built: data.retrainRequestId };
};
