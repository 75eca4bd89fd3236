"use client";

import Link from "next/link";
import { useState } from "react";
import type { TrainingJob } from "@/lib/schemas/training-jobs";
import { canCancel, canRetry } from "@/lib/domain/training-status";
import { useCancelTrainingJob, useRetryTrainingJob } from "@/lib/client/hooks/training-jobs";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { launchHref } from "@/lib/client/launch-links";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { formatCount } from "@/lib/client/format-units";

/**
 * Cancel (queued, starting, running: asks first), Retry (failed, cancelled: can resume), and
 * "Clone and edit" (the launch form with this job's spec, to change and launch as a new job).
 */
export function JobActions({ job }: { job: TrainingJob }) {
  const active = useActiveTeam();
  const cancel = useCancelTrainingJob(job.id);
  if (!active?.can("resource.write")) return null;
  return (
    <>
      {canCancel(job.status) && (
        <ConfirmDialog
          trigger={<Button variant="danger">Cancel job</Button>}
          title={`Cancel ${job.name}?`}
          description={
            job.status === "QUEUED"
              ? "It has not started; it leaves the queue."
              : `The run is stopped at step ${formatCount(job.currentStep)}. Checkpoints already written stay, so a retry can resume from the newest.`
          }
          confirmLabel="Cancel job"
          onConfirm={() => cancel.mutateAsync()}
        />
      )}
      {canRetry(job.status) && <RetryDialog job={job} />}
      <Link href={launchHref({ from: job.id })} className="btn">
        Clone and edit
      </Link>
    </>
  );
}

function RetryDialog({ job }: { job: TrainingJob }) {
  const retry = useRetryTrainingJob(job.id);
  const [open, setOpen] = useState(false);
  const [resume, setResume] = useState(true);
  const checkpoints = job.artifacts.filter((a) => /^checkpoint-\d+\/$/.test(a.name));
  const newest = checkpoints.at(-1)?.name.replace(/\/$/, "");
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) retry.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="primary">Retry</Button>
      </DialogTrigger>
      <DialogContent
        title={`Retry ${job.name}`}
        description={`Attempt ${job.attempt + 1} joins the queue with the same spec.`}
      >
        <Checkbox
          className="checkbox-plain"
          label="Resume from checkpoint"
          checked={resume}
          onChange={(e) => setResume(e.currentTarget.checked)}
          description={
            newest
              ? `Continue from ${newest} instead of step 0.`
              : "No checkpoint was written yet; the run starts over either way."
          }
        />
        {retry.error && <ErrorState title="Retry failed" error={retry.error} />}
        <DialogFooter>
          <Button onClick={() => setOpen(false)} disabled={retry.isPending}>
            Close
          </Button>
          <Button
            variant="primary"
            loading={retry.isPending}
            onClick={() => retry.mutate({ resume }, { onSuccess: () => setOpen(false) })}
          >
            Retry job
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
