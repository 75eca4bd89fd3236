import type { Metadata } from "next";
import { ModelDetailView } from "@/components/models/model-detail";
import { ModelRetunePanels } from "@/components/monitors/model-retune-panels";
import { RetrainTemplatePanel } from "@/components/training-jobs/retrain-template-panel";

export const metadata: Metadata = { title: "Model" };

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <ModelDetailView
      id={id}
      retune={
        <ModelRetunePanels modelId={id} trainingTemplate={<RetrainTemplatePanel modelId={id} />} />
      }
    />
  );
}
