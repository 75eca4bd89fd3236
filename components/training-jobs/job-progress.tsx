import type { TrainingJobSummary } from "@/lib/schemas/training-jobs";
import { formatCount, formatDuration } from "@/lib/client/format-units";
import { cx } from "@/components/ui/cx";

type ProgressFields = Pick<
  TrainingJobSummary,
  "status" | "progress" | "currentStep" | "totalSteps" | "etaSeconds" | "queuePosition"
>;

/** "step 120 / 375"; "step 120" when the total is unknown. */
export function stepText(job: Pick<ProgressFields, "currentStep" | "totalSteps">): string {
  return job.totalSteps
    ? `step ${formatCount(job.currentStep)} / ${formatCount(job.totalSteps)}`
    : `step ${formatCount(job.currentStep)}`;
}

/**
 * A job's progress as a bar with step x / total (and the ETA while running). A queued job shows
 * its place in the queue instead.
 */
export function JobProgress({
  job,
  size = "sm",
  label = "Training progress",
}: {
  job: ProgressFields;
  size?: "sm" | "lg";
  label?: string;
}) {
  if (job.status === "QUEUED") {
    return (
      <span className="muted nowrap">
        {job.queuePosition ? `#${job.queuePosition} in queue` : "queued"}
      </span>
    );
  }
  const pct = Math.round(Math.min(1, Math.max(0, job.progress)) * 100);
  const done = job.status === "SUCCEEDED";
  return (
    <div className={cx("job-progress", size === "lg" && "job-progress-lg")}>
      <progress
        className={cx("progress", job.status === "FAILED" && "progress-failed")}
        aria-label={label}
        aria-valuetext={`${pct}%, ${stepText(job)}`}
        max={100}
        value={done ? 100 : pct}
      >
        {pct}%
      </progress>
      <span className="job-progress-text mono">
        {stepText(job)}
        <span className="muted"> · {done ? 100 : pct}%</span>
        {size === "lg" && job.status === "RUNNING" && (
          <span className="muted"> · ETA {formatDuration(job.etaSeconds)}</span>
        )}
      </span>
    </div>
  );
}
