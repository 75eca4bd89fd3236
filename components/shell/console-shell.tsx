import type { ReactNode } from "react";
import { Brand } from "./brand";
import { SidebarNav } from "./sidebar-nav";
import { TeamSwitcher } from "./team-switcher";
import { UserMenu } from "./user-menu";

/** Sidebar, top bar (team switcher, user menu) and the page. */
export function ConsoleShell({ children }: { children: ReactNode }) {
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
          <TeamSwitcher />
          <UserMenu />
        </header>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
