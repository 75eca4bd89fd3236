import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Training jobs" };

export default function TrainingJobsPage() {
  return (
    <>
      <PageHeader title="Training jobs" description="LoRA and QLoRA fine-tuning runs." />
      <EmptyState
        title="No training jobs yet"
        description={
          <>
            <p>
              Each job trains an adapter on a dataset version with Axolotl, Unsloth or PEFT, on this
              host, Docker or Kubernetes. Its status, live loss curve, logs, and GPU time and cost
              will show here.
            </p>
            <p className="muted">Launching training jobs is not available in this build yet.</p>
          </>
        }
      />
    </>
  );
}
