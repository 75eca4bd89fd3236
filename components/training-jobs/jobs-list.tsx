"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import {
  trainingStatusSchema,
  triggerSchema,
  type TrainingJobSummary,
} from "@/lib/schemas/training-jobs";
import { searchTextSchema } from "@/lib/schemas/search";
import { findBaseModel } from "@/lib/domain/base-models";
import { formatDuration, formatUsd } from "@/lib/client/format-units";
import { useTrainingJobs, type TrainingJobFilters } from "@/lib/client/hooks/training-jobs";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { compareHref, jobHref } from "@/lib/client/hrefs";
import {
  BACKEND_LABEL,
  EXECUTOR_LABEL,
  METHOD_LABEL,
  TRIGGER_LABEL,
} from "@/lib/client/training-labels";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { JobFilters } from "./job-filters";
import { JobProgress } from "./job-progress";
import { JobStatusBadge } from "./job-status-badge";

/** The filters in the URL, keeping only values the API accepts. */
function useUrlFilters(): [TrainingJobFilters, (next: TrainingJobFilters) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const status = trainingStatusSchema.safeParse(params.get("status"));
  const trigger = triggerSchema.safeParse(params.get("trigger"));
  const model = params.get("model")?.trim() || undefined;
  const search = searchTextSchema.safeParse(params.get("q") ?? undefined);
  const q = search.success ? search.data : undefined;
  const filters = useMemo(
    () => ({
      status: status.success ? status.data : undefined,
      trigger: trigger.success ? trigger.data : undefined,
      model,
      q,
    }),
    [status.data, status.success, trigger.data, trigger.success, model, q],
  );
  const set = useCallback(
    (next: TrainingJobFilters) => {
      const p = new URLSearchParams();
      if (next.status) p.set("status", next.status);
      if (next.model) p.set("model", next.model);
      if (next.trigger) p.set("trigger", next.trigger);
      if (next.q) p.set("q", next.q);
      const qs = p.toString();
      router.replace(`${pathname}${qs ? `?${qs}` : ""}`, { scroll: false });
    },
    [router, pathname],
  );
  return [filters, set];
}

/** The jobs with a tick box each; two or more ticked compare their loss curves. */
function JobsTable({
  jobs,
  selected,
  onToggle: toggle,
}: {
  jobs: TrainingJobSummary[];
  selected: string[];
  onToggle: (id: string, on: boolean) => void;
}) {
  const shown = new Set(jobs.map((j) => j.id));
  const picked = selected.filter((id) => shown.has(id));
  return (
    <>
      <div className="list-toolbar">
        <span className="muted" aria-live="polite">
          {picked.length === 0
            ? "Tick jobs to compare their loss curves."
            : `${picked.length} selected`}
        </span>
        {picked.length >= 2 ? (
          <Link href={compareHref(picked)} className="btn btn-sm">
            Compare {picked.length} jobs
          </Link>
        ) : (
          <button type="button" className="btn btn-sm" disabled>
            Compare
          </button>
        )}
      </div>
      <Table caption="Training jobs">
        <THead>
          <Tr>
            <Th>
              <span className="sr-only">Select</span>
            </Th>
            <Th>Job</Th>
            <Th>Status</Th>
            <Th>Progress</Th>
            <Th align="right">ETA</Th>
            <Th>Backend · executor</Th>
            <Th>Trigger</Th>
            <Th>Created</Th>
            <Th align="right">Cost</Th>
          </Tr>
        </THead>
        <TBody>
          {jobs.map((j) => (
            <Tr key={j.id}>
              <Td>
                <input
                  type="checkbox"
                  className="row-check"
                  aria-label={`Select ${j.name} to compare`}
                  checked={picked.includes(j.id)}
                  onChange={(e) => toggle(j.id, e.currentTarget.checked)}
                />
              </Td>
              <Td>
                <Link href={jobHref(j.id)} className="strong-link">
                  {j.name}
                </Link>
                <span className="cell-sub">
                  {findBaseModel(j.baseModel)?.name ?? j.baseModel} · {METHOD_LABEL[j.method]}
                </span>
              </Td>
              <Td>
                <JobStatusBadge status={j.status} />
                {j.attempt > 1 && <span className="cell-sub">attempt {j.attempt}</span>}
              </Td>
              <Td className="job-progress-cell">
                <JobProgress job={j} label={`Progress of ${j.name}`} />
              </Td>
              <Td align="right" className="nowrap">
                {j.status === "RUNNING" ? formatDuration(j.etaSeconds) : "—"}
              </Td>
              <Td className="nowrap">
                {BACKEND_LABEL[j.backend]} · {EXECUTOR_LABEL[j.executor]}
              </Td>
              <Td>{TRIGGER_LABEL[j.trigger]}</Td>
              <Td className="nowrap">
                <TimeStamp iso={j.createdAt} />
              </Td>
              <Td align="right">{formatUsd(j.costUsd)}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </>
  );
}

/**
 * Every training job of the team, newest first, with filters in the URL; re-read every 2 s while
 * any job is queued or running. Tick several jobs to compare their loss curves.
 */
export function JobsList() {
  const [filters, setFilters] = useUrlFilters();
  const jobs = useTrainingJobs(filters);
  const active = useActiveTeam();
  const [selected, setSelected] = useState<string[]>([]);
  const filtered = Boolean(filters.status || filters.trigger || filters.model || filters.q);

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id)));

  const canWrite = active?.can("resource.write") ?? false;
  const empty = filtered ? (
    <EmptyState
      title={filters.q ? `No jobs match “${filters.q}”` : "No jobs match these filters"}
      description={
        filters.q
          ? "The search looks for the text anywhere in job names, Model names and base models, in any case. Try part of a name, or clear a filter."
          : "Clear a filter to see more jobs."
      }
    />
  ) : (
    <EmptyState
      title="No training jobs yet"
      description={
        <>
          <p>
            Each job trains a LoRA or QLoRA adapter on a dataset version with Axolotl, Unsloth or
            PEFT, on this host, Docker or Kubernetes. Its status, live loss curve, logs, and GPU
            time and cost show here.
          </p>
          {!canWrite && active && (
            <p className="muted">
              Your role ({active.team.role}) can read jobs; engineers and above launch them.
            </p>
          )}
        </>
      }
    >
      {canWrite && (
        <Link href="/training-jobs/new" className="btn btn-primary">
          Launch a job
        </Link>
      )}
    </EmptyState>
  );

  return (
    <div className="stack-lg">
      <JobFilters filters={filters} onChange={setFilters} />
      <QueryView
        query={jobs}
        loading="Loading training jobs…"
        rows={5}
        errorTitle="Could not load training jobs"
        isEmpty={(list) => list.length === 0}
        empty={empty}
      >
        {(list) => <JobsTable jobs={list} selected={selected} onToggle={toggle} />}
      </QueryView>
    </div>
  );
}
