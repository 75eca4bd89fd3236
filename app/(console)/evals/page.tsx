import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Evals" };

export default function EvalsPage() {
  return (
    <>
      <PageHeader title="Evals" description="Evaluation suites and their runs." />
      <EmptyState
        title="No eval suites yet"
        description={
          <>
            <p>
              A suite scores a candidate on a held-out dataset version — tool calls the way the
              Berkeley Function Calling Leaderboard does, JSON validity, exact match, latency and
              cost — and compares it with production before promotion.
            </p>
            <p className="muted">Running evals is not available in this build yet.</p>
          </>
        }
      />
    </>
  );
}
