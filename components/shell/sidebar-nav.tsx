"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  {
    label: "Build",
    links: [
      { href: "/datasets", label: "Datasets" },
      { href: "/training-jobs", label: "Training jobs" },
      { href: "/models", label: "Models" },
      { href: "/evals", label: "Evals" },
      { href: "/monitors", label: "Monitors" },
      { href: "/traces", label: "Traces" },
    ],
  },
  {
    label: "Team",
    links: [
      { href: "/settings", label: "Settings" },
      { href: "/status", label: "Status" },
    ],
  },
] as const;

export function SidebarNav() {
  const pathname = usePathname();
  return (
    <nav className="sidebar-nav" aria-label="Main">
      {SECTIONS.map((section) => (
        <div key={section.label} className="sidebar-section">
          <p className="sidebar-section-label" aria-hidden="true">
            {section.label}
          </p>
          <ul>
            {section.links.map((link) => {
              const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
              return (
                <li key={link.href}>
                  <Link
                    href={link.href}
                    className="sidebar-link"
                    aria-current={active ? "page" : undefined}
                  >
                    {link.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
