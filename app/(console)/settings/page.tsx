import type { Metadata } from "next";
import { TeamOverview } from "@/components/settings/team-overview";

export const metadata: Metadata = { title: "Team settings" };

export default function TeamSettingsPage() {
  return <TeamOverview />;
}
