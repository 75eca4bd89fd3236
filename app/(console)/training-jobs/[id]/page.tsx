import type { Metadata } from "next";
import { JobDetail } from "@/components/training-jobs/job-detail";

export const metadata: Metadata = { title: "Training job" };

export default async function TrainingJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <JobDetail id={id} />;
}
