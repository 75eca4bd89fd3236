import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <>
      <PageHeader title="Models" description="Fine-tuned agent components and their versions." />
      <EmptyState
        title="No models registered yet"
        description={
          <>
            <p>
              A model is one fine-tunable part of an agent, such as a support agent's tool caller.
              Its versions move through candidate, staging and production, each with a model card
              built from its data lineage, eval results and cost.
            </p>
            <p className="muted">Registering models is not available in this build yet.</p>
          </>
        }
      />
    </>
  );
}
