import type { Metadata } from "next";
import { ModelCardView } from "@/components/models/model-card-view";

export const metadata: Metadata = { title: "Model card" };

export default async function ModelCardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ModelCardView id={id} />;
}
