import type { Metadata } from "next";
import { CompareView } from "@/components/models/compare-view";

export const metadata: Metadata = { title: "Compare model version" };

export default async function CompareVersionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const raw = (await searchParams).against;
  const against = (Array.isArray(raw) ? raw[0] : raw)?.trim() || "production";
  return <CompareView id={id} against={against} />;
}
