import type { Metadata } from "next";
import { LaunchForm } from "@/components/training-jobs/launch-form";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { PageHeader } from "@/components/ui/page-header";
import { LAUNCH_PARAMS } from "@/lib/client/launch-links";
import { firstParam, type SearchParams } from "@/lib/client/search-params";

export const metadata: Metadata = { title: "Launch a training job" };

export default async function NewTrainingJobPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const datasetVersionId = firstParam(params[LAUNCH_PARAMS.datasetVersionId]);
  const from = firstParam(params[LAUNCH_PARAMS.from]);
  return (
    <>
      <Breadcrumbs items={[{ href: "/training-jobs", label: "Training jobs" }, { label: "New" }]} />
      <PageHeader
        title="Launch a training job"
        description="Pick the data and a recipe; the estimate and pre-flight update as you type."
      />
      <LaunchForm
        // A new choice (another job to copy, another version) starts the form afresh.
        key={`${datasetVersionId ?? ""}:${from ?? ""}`}
        initialDatasetVersionId={datasetVersionId}
        cloneFromJobId={from}
      />
    </>
  );
}
