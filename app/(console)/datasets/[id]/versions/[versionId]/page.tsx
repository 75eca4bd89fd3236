import type { Metadata } from "next";
import { VersionView } from "@/components/datasets/version-view";

export const metadata: Metadata = { title: "Dataset version" };

export default async function DatasetVersionPage({
  params,
}: {
  params: Promise<{ id: string; versionId: string }>;
}) {
  const { id, versionId } = await params;
  return <VersionView datasetId={id} versionId={versionId} />;
}
