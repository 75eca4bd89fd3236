import type { TrainingAttempt } from "@/lib/schemas/training-jobs";
import { formatCount, formatDuration } from "@/lib/client/format-units";
import { TimeStamp } from "@/components/ui/time-stamp";
import { JobStatusBadge } from "./job-status-badge";

function seconds(from: string | null, to: string | null): number | null {
  if (!from) return null;
  const end = to ? new Date(to).getTime() : Date.now();
  return (end - new Date(from).getTime()) / 1000;
}

/** Every attempt of a job, newest first: how it ran, where it resumed, how it ended. */
export function AttemptsTimeline({ attempts }: { attempts: readonly TrainingAttempt[] }) {
  const ordered = [...attempts].sort((a, b) => b.attempt - a.attempt);
  return (
    <ol className="timeline" aria-label="Attempts">
      {ordered.map((a) => {
        const ran = seconds(a.runningAt ?? a.startedAt, a.finishedAt);
        return (
          <li key={a.attempt} className={`timeline-item timeline-${a.status.toLowerCase()}`}>
            <div className="timeline-head">
              <strong>Attempt {a.attempt}</strong>
              <JobStatusBadge status={a.status} />
              {a.resume && (
                <span className="muted small">
                  {a.resumedFromStep !== null
                    ? `resumed from step ${formatCount(a.resumedFromStep)}`
                    : "resume requested"}
                </span>
              )}
            </div>
            <dl className="timeline-facts">
              <div>
                <dt>Queued</dt>
                <dd>
                  <TimeStamp iso={a.createdAt} />
                </dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>{a.startedAt ? <TimeStamp iso={a.startedAt} /> : "—"}</dd>
              </div>
              <div>
                <dt>Finished</dt>
                <dd>{a.finishedAt ? <TimeStamp iso={a.finishedAt} /> : "—"}</dd>
              </div>
              <div>
                <dt>Ran</dt>
                <dd>{ran === null ? "—" : formatDuration(ran)}</dd>
              </div>
              <div>
                <dt>Last step</dt>
                <dd className="mono">{formatCount(a.lastStep)}</dd>
              </div>
              <div>
                <dt>Exit code</dt>
                <dd className="mono">{a.exitCode ?? "—"}</dd>
              </div>
              {a.externalId && (
                <div>
                  <dt>Run id</dt>
                  <dd className="mono truncate" title={a.externalId}>
                    {a.externalId}
                  </dd>
                </div>
              )}
            </dl>
            {a.error && <p className="timeline-error">{a.error}</p>}
          </li>
        );
      })}
    </ol>
  );
}
