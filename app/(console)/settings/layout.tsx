import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { TabNav } from "@/components/ui/tab-nav";

const TABS = [
  { href: "/settings", label: "Team", exact: true },
  { href: "/settings/members", label: "Members" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/webhooks", label: "Webhooks" },
  { href: "/settings/secrets", label: "Secrets" },
  { href: "/settings/prices", label: "Prices" },
  { href: "/settings/audit-log", label: "Audit log" },
];

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your team, who is in it, and how automation reaches it."
      />
      <TabNav label="Settings sections" tabs={TABS} />
      <div className="tab-panel">{children}</div>
    </>
  );
}
