import type { Metadata } from "next";
import { StatusView } from "@/components/status/status-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Status" };

export default function StatusPage() {
  return (
    <>
      <PageHeader
        title="Status"
        description="Database, Redis, queue depths and live workers of this retune installation."
      />
      <StatusView />
    </>
  );
}
