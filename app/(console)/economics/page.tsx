import type { Metadata } from "next";
import { EconomicsWorkspace } from "@/components/economics/economics-workspace";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Economics" };

export default function EconomicsPage() {
  return (
    <>
      <PageHeader
        title="Economics"
        description="Whether a fine-tune pays: the planner prices a hybrid against frontier-only with your team's prices, and the advisor says what to fine-tune and what to keep on a frontier model."
      />
      <EconomicsWorkspace />
    </>
  );
}
