import type { EvalRun } from "@/lib/schemas/evals";
import { EVAL_STATUS_LABEL, EVAL_STATUS_TONE } from "@/lib/client/eval-labels";
import { formatCount } from "@/lib/client/format-units";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { Spinner } from "@/components/ui/spinner";

/** A run's status in words and colour, spinning while it moves. */
export function EvalStatusBadge({ status }: { status: EvalRun["status"] }) {
  return (
    <Badge tone={EVAL_STATUS_TONE[status]} data-status={status}>
      {status === "RUNNING" && <Spinner />}
      {EVAL_STATUS_LABEL[status]}
    </Badge>
  );
}

/** "120 / 400 cases · 30%" with a bar; a queued run says so instead. */
export function EvalProgress({
  status,
  progress,
  caseCount,
  casesDone,
  label = "Evaluation progress",
  size = "sm",
}: {
  status: EvalRun["status"];
  progress: number;
  caseCount: number;
  casesDone?: number;
  label?: string;
  size?: "sm" | "lg";
}) {
  if (status === "QUEUED") return <span className="muted nowrap">queued</span>;
  const pct = Math.round(Math.min(1, Math.max(0, progress)) * 100);
  const done = status === "SUCCEEDED" ? caseCount : (casesDone ?? Math.round(progress * caseCount));
  const text = caseCount > 0 ? `${formatCount(done)} / ${formatCount(caseCount)} cases` : "";
  return (
    <div className={cx("job-progress", size === "lg" && "job-progress-lg")}>
      <progress
        className={cx("progress", status === "FAILED" && "progress-failed")}
        aria-label={label}
        aria-valuetext={`${status === "SUCCEEDED" ? 100 : pct}%${text ? `, ${text}` : ""}`}
        max={100}
        value={status === "SUCCEEDED" ? 100 : pct}
      >
        {pct}%
      </progress>
      <span className="job-progress-text mono">
        {text}
        <span className="muted">
          {text ? " · " : ""}
          {status === "SUCCEEDED" ? 100 : pct}%
        </span>
      </span>
    </div>
  );
}
