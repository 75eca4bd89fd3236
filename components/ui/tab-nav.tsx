"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type TabLink = {
  href: string;
  label: string;
  /** match only this exact path */ exact?: boolean;
};

function isActive(pathname: string, tab: TabLink): boolean {
  if (tab.exact) return pathname === tab.href;
  return pathname === tab.href || pathname.startsWith(`${tab.href}/`);
}

/** Sub-page navigation as links (each tab is a URL); the current one has aria-current="page". */
export function TabNav({ label, tabs }: { label: string; tabs: readonly TabLink[] }) {
  const pathname = usePathname();
  return (
    <nav className="tab-nav" aria-label={label}>
      {tabs.map((tab) => {
        const active = isActive(pathname, tab);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            className="tab-nav-link"
            aria-current={active ? "page" : undefined}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
