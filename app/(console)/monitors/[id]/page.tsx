import type { Metadata } from "next";
import { MonitorDetailView } from "@/components/monitors/monitor-detail";

export const metadata: Metadata = { title: "Monitor" };

export default async function MonitorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MonitorDetailView id={id} />;
}
