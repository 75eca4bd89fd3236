import type { Metadata } from "next";
import { VersionEvalRuns } from "@/components/evals/version-eval-runs";
import { VersionRunEval } from "@/components/evals/version-run-eval";
import { ModelVersionDetailView } from "@/components/models/model-version-detail";

export const metadata: Metadata = { title: "Model version" };

export default async function ModelVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <ModelVersionDetailView
      id={id}
      evalRuns={<VersionEvalRuns versionId={id} />}
      runEval={<VersionRunEval versionId={id} />}
    />
  );
}
