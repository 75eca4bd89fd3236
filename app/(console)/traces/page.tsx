import type { Metadata } from "next";
import { TracesBrowser } from "@/components/traces/traces-browser";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Traces" };

export default function TracesPage() {
  return (
    <>
      <PageHeader
        title="Traces"
        description="Full production interactions sent by your agents: the raw material of retraining datasets."
      />
      <TracesBrowser />
    </>
  );
}
