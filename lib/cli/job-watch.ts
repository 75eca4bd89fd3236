/**
 * Following a training job until it ends (`jobs watch`, `jobs create --wait`): status changes,
 * a progress bar with the server's ETA, each new loss value as it is ingested, and with --logs the
 * trainer's log. It polls the same endpoints the console's job page does; Ctrl-C stops watching,
 * never the job.
 *
 * With --json, stdout is NDJSON, one event per line: `status`, `metric` (every metric, not only
 * losses), `log`, and finally `end` with the job.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { isFinished } from "@/lib/domain/training-status";
import type { TrainingJob } from "@/lib/schemas/training-jobs";
import type { MetricsResponse, RetuneApi } from "./api";
import type { Context } from "./context";
import { CliError, EXIT } from "./errors";
import { formatDuration, formatLossLine } from "./output";
import { createBar } from "./progress";

type Point = MetricsResponse["points"][number];

export type WatchOptions = { logs: boolean; pollMs?: number };

/** Loss-like metrics are printed for a person; --json streams every metric. */
export const isLoss = (name: string) => /loss/.test(name);

/**
 * New points of a poll, one line per step: the points not seen before (a point is seen once per
 * name and step; a resumed attempt's value for a step already printed is not printed again).
 */
export function newPointsByStep(
  points: Point[],
  seen: Set<string>,
): { step: number; points: Point[] }[] {
  const fresh = points
    .filter((p) => !seen.has(`${p.name}@${p.step}`))
    .sort((a, b) => a.step - b.step || lossOrder(a.name) - lossOrder(b.name));
  for (const p of fresh) seen.add(`${p.name}@${p.step}`);
  const steps: { step: number; points: Point[] }[] = [];
  for (const p of fresh) {
    const last = steps[steps.length - 1];
    if (last?.step === p.step) last.points.push(p);
    else steps.push({ step: p.step, points: [p] });
  }
  return steps;
}

const lossOrder = (name: string) => (name === "loss" ? 0 : name === "eval_loss" ? 1 : 2);

export async function followJob(
  ctx: Context,
  api: RetuneApi,
  jobId: string,
  opts: WatchOptions,
): Promise<TrainingJob> {
  const { out } = ctx;
  const pollMs = opts.pollMs ?? 1_000;
  const seen = new Set<string>();
  let maxStep = -1;
  let status: string | null = null;
  let attempt = 0;
  let logAfter = 0;
  let job = await api.getJob(jobId);
  const bar = createBar(
    {
      format: "{status} [{bar}] {value}/{total} steps | ETA {remaining}",
      total: job.totalSteps ?? 1,
      payload: { status: job.status, remaining: "—" },
    },
    ctx.progress,
  );
  const say = (text: string) => bar.interrupt(() => out.info(text));
  const print = (text: string) => bar.interrupt(() => out.line(text));
  try {
    for (;;) {
      if (job.status !== status || job.attempt !== attempt) {
        if (job.attempt !== attempt) logAfter = 0;
        status = job.status;
        attempt = job.attempt;
        if (out.json) out.event({ event: "status", status, attempt, step: job.currentStep });
        else say(`${job.name}: ${status}${attempt > 1 ? ` (attempt ${attempt})` : ""}`);
      }
      // Metrics after the job: when the job reads finished, every point it logged is stored.
      // The last step seen is asked again: a step's eval loss can land after its train loss.
      const { points } = await api.getMetrics(jobId, { afterStep: maxStep - 1 });
      for (const { step, points: atStep } of newPointsByStep(points, seen)) {
        maxStep = Math.max(maxStep, step);
        if (out.json) for (const p of atStep) out.event({ event: "metric", ...p });
        else {
          const losses = atStep.filter((p) => isLoss(p.name));
          if (losses.length)
            print(
              formatLossLine(
                step,
                job.totalSteps,
                losses.map((p) => [p.name, p.value]),
              ),
            );
        }
      }
      if (opts.logs && job.status !== "QUEUED") {
        const done = isFinished(job.status);
        // A finished attempt's log is read to its end; a running one's as far as it got.
        for (let page = 0; page < (done ? 50 : 1); page++) {
          const logs = await api.getLogs(jobId, { attempt, after: logAfter });
          logAfter = logs.next;
          if (logs.text) {
            if (out.json) out.event({ event: "log", attempt, text: logs.text });
            else print(logs.text.replace(/\n$/, ""));
          }
          if (logs.complete || !logs.text) break;
        }
      }
      if (job.totalSteps) bar.setTotal(job.totalSteps);
      bar.update(job.currentStep, {
        status: job.status,
        remaining: job.etaSeconds === null ? "—" : formatDuration(job.etaSeconds),
      });
      if (isFinished(job.status)) break;
      await sleep(pollMs);
      job = await api.getJob(jobId);
    }
  } finally {
    bar.stop();
  }
  return job;
}

/** The end of a followed job: its summary, and exit 4 unless it SUCCEEDED. */
export async function reportEnd(ctx: Context, api: RetuneApi, job: TrainingJob): Promise<void> {
  const { out } = ctx;
  const took =
    job.startedAt && job.finishedAt
      ? ` in ${formatDuration((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000)}`
      : "";
  if (out.json) {
    const { config: _config, command: _command, ...rest } = job;
    out.event({ event: "end", job: rest });
  } else if (job.status === "SUCCEEDED") {
    const version = job.modelVersionId ? await api.getModelVersion(job.modelVersionId) : null;
    out.line(
      `${job.name} SUCCEEDED${took}${version ? `: ${version.modelName}@${version.version} (${version.stage}, id ${version.id})` : ""}`,
    );
  }
  if (job.status !== "SUCCEEDED")
    throw new CliError(
      `job ${job.id} ${job.status}${took}${job.error ? `: ${job.error}` : ""}`,
      EXIT.failed,
      `job_${job.status.toLowerCase()}`,
    );
}
