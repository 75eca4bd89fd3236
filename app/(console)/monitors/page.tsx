import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Monitors" };

export default function MonitorsPage() {
  return (
    <>
      <PageHeader title="Monitors" description="Drift monitors and re-tuning schedules." />
      <EmptyState
        title="No monitors yet"
        description={
          <>
            <p>
              Monitors watch the production telemetry your agents post to the API — tool-call
              errors, escalations to the frontier model, shifts in the tool and intent mix — and
              start a re-tune when a threshold is crossed or on a schedule.
            </p>
            <p className="muted">Creating monitors is not available in this build yet.</p>
          </>
        }
      />
    </>
  );
}
