import type { Metadata } from "next";
import { EvalsHome } from "@/components/evals/evals-home";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Evals" };

export default async function EvalsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await searchParams).suiteId;
  const suiteId = (Array.isArray(raw) ? raw[0] : raw)?.trim() || undefined;
  return (
    <>
      <PageHeader
        title="Evals"
        description="Suites of held-out cases, and runs that score models, adapters and endpoints on them."
      />
      <EvalsHome suiteId={suiteId} />
    </>
  );
}
