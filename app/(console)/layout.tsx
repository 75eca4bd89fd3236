import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { TeamSwitcher } from "@/components/teams/team-switcher";
import { queryKeys } from "@/lib/client/query-keys";
import { sessionUser } from "@/lib/server/core/principal";
import { activeTeamCookie } from "@/lib/server/teams/team-cookie";
import { getMe } from "@/lib/server/teams/teams";
import { PATH_HEADER } from "@/proxy";

/**
 * Every console page needs a session and a team. /me is read here and handed to the browser's
 * query cache, so the team switcher and role checks render without a second request.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const h = await headers();
  const user = await sessionUser(h);
  if (!user) {
    // Back to the page that was opened once signed in (proxy.ts passes its path; safeNext on
    // the sign-in page refuses anything that is not a path of this console).
    const path = h.get(PATH_HEADER);
    redirect(path && path !== "/" ? `/sign-in?next=${encodeURIComponent(path)}` : "/sign-in");
  }
  const me = await getMe(user, activeTeamCookie(h));
  if (!me.activeTeamId) redirect("/onboarding");

  const qc = new QueryClient();
  qc.setQueryData(queryKeys.me, me);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <ConsoleShell teamSwitcher={<TeamSwitcher />}>{children}</ConsoleShell>
    </HydrationBoundary>
  );
}
