import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Datasets" };

export default function DatasetsPage() {
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Versioned training and evaluation data for your agent components."
      />
      <EmptyState
        title="No datasets yet"
        description={
          <>
            <p>
              Upload chat or tool-calling JSONL — preferably real production traces — and each
              version is stored immutably with its content hash, provenance, row and token
              statistics, a validation report and a train/eval split.
            </p>
            <p className="muted">Uploading datasets is not available in this build yet.</p>
          </>
        }
      />
    </>
  );
}
