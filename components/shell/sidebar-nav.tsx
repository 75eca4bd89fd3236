"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  {
    label: "Overview",
    links: [{ href: "/", label: "Home" }],
  },
  {
    label: "Build",
    links: [
      { href: "/datasets", label: "Datasets" },
      { href: "/training-jobs", label: "Training jobs" },
      { href: "/models", label: "Models" },
      { href: "/evals", label: "Evals" },
      { href: "/monitors", label: "Monitors" },
      { href: "/traces", label: "Traces" },
      { href: "/economics", label: "Economics" },
    ],
  },
  {
    label: "Team",
    links: [
      { href: "/settings", label: "Settings" },
      { href: "/status", label: "Status" },
      { href: "/api-reference", label: "API reference" },
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
              // "/" is active on itself only: every path starts with it.
              const active =
                pathname === link.href ||
                (link.href !== "/" && pathname.startsWith(`${link.href}/`));
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
