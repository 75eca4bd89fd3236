import type { Metadata } from "next";
import { LaunchForm } from "@/components/training-jobs/launch-form";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { PageHeader } from "@/components/ui/page-header";
import { firstParam, type SearchParams } from "@/lib/client/search-params";

export const metadata: Metadata = { title: "Launch a training job" };

export default async function NewTrainingJobPage({ searchParams }: { searchParams: SearchParams }) {
  const datasetVersionId = firstParam((await searchParams).datasetVersionId);
  return (
    <>
      <Breadcrumbs items={[{ href: "/training-jobs", label: "Training jobs" }, { label: "New" }]} />
      <PageHeader
        title="Launch a training job"
        description="Pick the data and a recipe; the estimate and pre-flight update as you type."
      />
      <LaunchForm initialDatasetVersionId={datasetVersionId} />
    </>
  );
}
