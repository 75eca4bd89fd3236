import type { Metadata } from "next";
import { parseIds } from "@/components/training-jobs/compare-ids";
import { CompareView } from "@/components/training-jobs/compare-view";
import { firstParam, type SearchParams } from "@/lib/client/search-params";

export const metadata: Metadata = { title: "Compare training jobs" };

export default async function CompareTrainingJobsPage({
  searchParams,
}: {
  searchParams: SearchParams;
}) {
  const ids = parseIds(firstParam((await searchParams).ids));
  return <CompareView ids={ids} />;
}
