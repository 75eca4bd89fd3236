"use client";

import { isSlotHeld } from "@/lib/domain/training-status";
import Link from "next/link";
import type { TrainingJob } from "@/lib/schemas/training-jobs";
import { findBaseModel } from "@/lib/domain/base-models";
import { computeLabel } from "@/lib/domain/compute-time";
import {
  formatCount,
  formatDuration,
  formatGb,
  formatHours,
  formatUsd,
} from "@/lib/client/format-units";
import {
  useDatasetVersionForLaunch,
  useModelVersion,
  useTrainingJob,
  useTrainingMetrics,
} from "@/lib/client/hooks/training-jobs";
import { checkpointRowHref } from "@/lib/client/download-links";
import { modelVersionHref } from "@/lib/client/hrefs";
import { STAGE_LABEL, STAGE_TONE } from "@/lib/client/registry-labels";
import {
  BACKEND_LABEL,
  EXECUTOR_LABEL,
  METHOD_LABEL,
  TRIGGER_LABEL,
} from "@/lib/client/training-labels";
import { ArtifactsTable } from "@/components/ui/artifacts-table";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock, CodePanel } from "@/components/ui/code-panel";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { TimeStamp } from "@/components/ui/time-stamp";
import { AttemptsTimeline } from "./attempts-timeline";
import { currentPoints } from "./chart-data";
import { HyperparameterList } from "./hyperparameter-list";
import { JobActions } from "./job-actions";
import { JobAdapterDownload } from "./job-adapter-download";
import { JobProgress } from "./job-progress";
import { JobStatusBadge } from "./job-status-badge";
import { LogViewer } from "./log-viewer";
import { TrainingCharts } from "./metric-charts";
import { TrainingWarnings } from "./training-warnings";
import { shellJoin } from "./shell-join";

const CRUMB = { href: "/training-jobs", label: "Training jobs" };

/** A job: status, progress, live charts and logs, config, artifacts and attempts. */
export function JobDetail({ id }: { id: string }) {
  const job = useTrainingJob(id);
  return (
    <QueryView
      query={job}
      loading="Loading training job…"
      rows={6}
      errorTitle="Could not load this training job"
      notFound={{
        title: "Training job not found",
        message: "It does not exist in this team. Check the team switcher.",
      }}
      errorLead={<Breadcrumbs items={[CRUMB, { label: "Not found" }]} />}
    >
      {(j) => <JobView job={j} />}
    </QueryView>
  );
}

function JobView({ job }: { job: TrainingJob }) {
  const running = isSlotHeld(job.status);
  const current = job.attempts.find((a) => a.attempt === job.attempt);
  const metrics = useTrainingMetrics({ id: job.id, attempt: job.attempt }, { live: running });
  const base = findBaseModel(job.baseModel);

  return (
    <>
      <Breadcrumbs items={[CRUMB, { label: job.name }]} />
      <PageHeader
        title={job.name}
        description={
          <span className="inline-gap">
            <JobStatusBadge status={job.status} data-testid="job-status" />
            <span>
              model <strong>{job.model.name}</strong>
            </span>
            <span className="muted">
              {base?.name ?? job.baseModel} · {METHOD_LABEL[job.method]} ·{" "}
              {BACKEND_LABEL[job.backend]} on {EXECUTOR_LABEL[job.executor]} ·{" "}
              {TRIGGER_LABEL[job.trigger].toLowerCase()} · created{" "}
              <TimeStamp iso={job.createdAt} format="relative" />
            </span>
          </span>
        }
        actions={<JobActions job={job} />}
      />
      <div className="stack-lg">
        {job.status === "FAILED" && (
          <ErrorState
            title={`Attempt ${job.attempt} failed`}
            error={job.error ?? "The run ended without an error message; see the log."}
          />
        )}
        {job.status === "CANCELLED" && (
          <Notice tone="warning">
            Cancelled
            {job.finishedAt ? (
              <>
                {" "}
                <TimeStamp iso={job.finishedAt} format="relative" />
              </>
            ) : (
              ""
            )}{" "}
            at step {formatCount(job.currentStep)}. Retry to run it again, from the newest
            checkpoint or from the start.
          </Notice>
        )}
        {job.modelVersionId && <ModelVersionLink id={job.modelVersionId} />}

        <ProgressCard job={job} />

        <Card>
          <CardHeader
            title="Training curves"
            description={
              running
                ? "Live: new points every couple of seconds."
                : "Loss (with eval loss), learning rate and gradient norm by step."
            }
          />
          <CardBody>
            <TrainingWarnings warnings={job.warnings} />
            <QueryView
              query={metrics}
              loading="Loading metrics…"
              rows={3}
              errorTitle="Could not load metrics"
            >
              {(m) => (
                <TrainingCharts
                  points={currentPoints(m.points, job.attempt, current?.resumedFromStep ?? null)}
                  totalSteps={job.totalSteps}
                />
              )}
            </QueryView>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Logs" description="The trainer's output, as it writes it." />
          <CardBody>
            {job.attempts.length === 0 ? (
              <EmptyState title="No attempts yet" />
            ) : (
              <LogViewer
                key={job.attempt}
                jobId={job.id}
                attempts={job.attempts}
                currentAttempt={job.attempt}
              />
            )}
          </CardBody>
        </Card>

        <div className="two-col">
          <Card>
            <CardHeader
              title="Artifacts"
              description="The adapter and checkpoints in the job's output folder."
              actions={<JobAdapterDownload versionId={job.modelVersionId} />}
            />
            {job.artifacts.length === 0 ? (
              <EmptyState
                title="No artifacts yet"
                description={
                  job.status === "SUCCEEDED"
                    ? "The output folder is empty or was cleaned up."
                    : "Checkpoints appear as the run saves them; the adapter when it finishes."
                }
              />
            ) : (
              <ArtifactsTable artifacts={job.artifacts} downloadHref={checkpointRowHref(job.id)} />
            )}
          </Card>
          <Card>
            <CardHeader title="Attempts" description="Newest first." />
            <CardBody>
              <AttemptsTimeline attempts={job.attempts} />
            </CardBody>
          </Card>
        </div>

        <SpecCard job={job} />
      </div>
    </>
  );
}

function ProgressCard({ job }: { job: TrainingJob }) {
  const e = job.estimate;
  return (
    <Card aria-label="Progress">
      <CardBody>
        {job.status === "QUEUED" ? (
          <div className="progress-block">
            <div className="progress-line">
              <span>
                {job.queuePosition
                  ? `Waiting: #${job.queuePosition} in the ${EXECUTOR_LABEL[job.executor].toLowerCase()} queue.`
                  : "Waiting for a worker to pick it up."}
              </span>
              <span className="mono muted">attempt {job.attempt}</span>
            </div>
            <progress className="progress" aria-label="Training progress" />
          </div>
        ) : (
          <JobProgress job={job} size="lg" />
        )}
        <dl className="fact-row">
          <div>
            <dt>ETA</dt>
            <dd>{job.status === "RUNNING" ? formatDuration(job.etaSeconds) : "—"}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{job.startedAt ? <TimeStamp iso={job.startedAt} /> : "—"}</dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd>{job.finishedAt ? <TimeStamp iso={job.finishedAt} /> : "—"}</dd>
          </div>
          <ComputeFacts job={job} />
          {e && (
            <div>
              <dt>Est. memory</dt>
              <dd>{formatGb(e.vramGb)}</dd>
            </div>
          )}
        </dl>
      </CardBody>
    </Card>
  );
}

/**
 * Compute time and cost, measured: every attempt's wall time × the devices it held, labelled by
 * the device (a CPU run has CPU time, not GPU time) — lib/domain/compute-time.ts.
 */
function ComputeFacts({ job }: { job: TrainingJob }) {
  const e = job.estimate;
  const c = job.compute;
  const { gpuType, gpuCount } = job.spec.compute;
  const cpu = gpuType === "CPU";
  const devices = computeLabel({ device: cpu ? "CPU" : "GPU", devices: gpuCount, gpuType });
  return (
    <>
      <div
        title={`Measured wall time of every attempt, start to end, × the devices it held (${cpu ? "one CPU host" : "its GPUs"}).`}
      >
        <dt>Compute time</dt>
        <dd>
          {c ? formatDuration(c.seconds) : "—"}
          <span className="muted"> on {devices}</span>
          {e && !(cpu && e.hours === 0) && (
            <span className="muted"> / est. {formatHours(e.hours)}</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>
          {c ? formatUsd(c.costUsd) : formatUsd(job.costUsd)}
          {cpu ? (
            <span className="muted"> (CPU time is not priced)</span>
          ) : (
            e && <span className="muted"> / est. {formatUsd(e.costUsd)}</span>
          )}
        </dd>
      </div>
    </>
  );
}

function ModelVersionLink({ id }: { id: string }) {
  const version = useModelVersion(id);
  return (
    <Notice>
      <span className="inline-gap">
        <span>This run registered a model version:</span>
        <Link href={modelVersionHref(id)} className="strong-link">
          {version.data
            ? `${version.data.modelName} v${version.data.version}`
            : "View model version"}
        </Link>
        {version.data && (
          <Badge tone={STAGE_TONE[version.data.stage]}>{STAGE_LABEL[version.data.stage]}</Badge>
        )}
      </span>
    </Notice>
  );
}

function SpecCard({ job }: { job: TrainingJob }) {
  const spec = job.spec;
  const trainVersion = useDatasetVersionForLaunch(spec.datasetVersionId);
  const evalVersion = useDatasetVersionForLaunch(spec.evalDatasetVersionId ?? null);
  const versionLink = (v: typeof trainVersion, id: string) =>
    v.data ? (
      <Link
        href={`/datasets/${encodeURIComponent(v.data.datasetId)}/versions/${encodeURIComponent(id)}`}
      >
        v{v.data.version} <span className="mono muted">{id}</span>
      </Link>
    ) : (
      <span className="mono">{id}</span>
    );
  return (
    <Card>
      <CardHeader title="Spec" description="What this job trains and how." />
      <CardBody>
        <dl className="details details-wide">
          <dt>Training data</dt>
          <dd>{versionLink(trainVersion, spec.datasetVersionId)}</dd>
          <dt>Eval data</dt>
          <dd>
            {spec.evalDatasetVersionId
              ? versionLink(evalVersion, spec.evalDatasetVersionId)
              : "the training set's eval split"}
          </dd>
          <dt>Base model</dt>
          <dd className="mono">{spec.baseModel}</dd>
          <dt>Compute</dt>
          <dd>
            {spec.compute.gpuType === "CPU"
              ? "CPU"
              : `${spec.compute.gpuCount} × ${spec.compute.gpuType}`}
          </dd>
        </dl>
        <HyperparameterList hp={spec.hyperparameters} />
        {(job.command || job.config) && (
          <CodePanel
            title="Config and command"
            summary={job.config?.kind === "axolotl-yaml" ? "Axolotl YAML" : "trainer spec"}
          >
            {job.command && <CodeBlock label="Command" text={shellJoin(job.command)} />}
            {job.config && (
              <CodeBlock
                label={
                  job.config.kind === "axolotl-yaml"
                    ? "Axolotl config (config.yml)"
                    : "Trainer spec (spec.json)"
                }
                text={job.config.text}
              />
            )}
          </CodePanel>
        )}
      </CardBody>
    </Card>
  );
}
