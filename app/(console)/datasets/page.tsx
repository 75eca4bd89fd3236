import type { Metadata } from "next";
import { CreateDatasetDialog } from "@/components/datasets/create-dataset-dialog";
import { DatasetsList } from "@/components/datasets/datasets-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Datasets" };

export default function DatasetsPage() {
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Versioned training and evaluation data for your agent components."
        actions={<CreateDatasetDialog />}
      />
      <DatasetsList />
    </>
  );
}
