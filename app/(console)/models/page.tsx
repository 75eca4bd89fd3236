import type { Metadata } from "next";
import { ModelsList, RegisterModelAction } from "@/components/models/models-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <>
      <PageHeader
        title="Models"
        description="Fine-tuned agent components, their versions, gates and production stage."
        actions={<RegisterModelAction />}
      />
      <ModelsList />
    </>
  );
}
