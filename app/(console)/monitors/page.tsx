import type { Metadata } from "next";
import { MonitorsList, NewMonitorAction } from "@/components/monitors/monitors-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Monitors" };

export default function MonitorsPage() {
  return (
    <>
      <PageHeader
        title="Monitors"
        description="Drift monitors over production telemetry; a breach alerts or starts a re-tune."
        actions={<NewMonitorAction />}
      />
      <MonitorsList />
    </>
  );
}
