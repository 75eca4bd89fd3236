import type { Metadata } from "next";
import { ModelVersionView } from "@/components/training-jobs/model-version-view";

export const metadata: Metadata = { title: "Model version" };

export default async function ModelVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ModelVersionView id={id} />;
}
