import type { ReactNode } from "react";
import { Brand } from "./brand";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

/**
 * Sidebar, top bar (team switcher, user menu) and the page. The team switcher belongs to the
 * teams feature, so the layout hands it in.
 */
export function ConsoleShell({
  teamSwitcher,
  children,
}: {
  teamSwitcher: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="console">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-brand">
          <Brand />
        </div>
        <SidebarNav />
      </aside>
      <div className="console-main">
        <header className="topbar">
          {teamSwitcher}
          <UserMenu />
        </header>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
