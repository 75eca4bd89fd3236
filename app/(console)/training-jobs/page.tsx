import type { Metadata } from "next";
import { JobsList } from "@/components/training-jobs/jobs-list";
import { LaunchJobButton } from "@/components/training-jobs/launch-job-button";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Training jobs" };

export default function TrainingJobsPage() {
  return (
    <>
      <PageHeader
        title="Training jobs"
        description="LoRA and QLoRA fine-tuning runs, with live progress, loss and cost."
        actions={<LaunchJobButton />}
      />
      <JobsList />
    </>
  );
}
