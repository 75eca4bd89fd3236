"use client";

import { HOME_RECENT_DAYS, type Home } from "@/lib/schemas/home";
import { useHome } from "@/lib/client/hooks/home";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { ApprovalsCard } from "./approvals-card";
import { FailedJobsCard, RunningJobsCard } from "./jobs-card";
import { MonitorsCard } from "./monitors-card";
import { RetrainsCard } from "./retrains-card";

/** "3 versions await approval · 1 monitor in breach", or that nothing needs attention. */
function headline(h: Home): string {
  const parts = [
    [h.awaitingApproval.length, "version awaits approval", "versions await approval"],
    [h.breachedMonitors.length, "monitor in breach", "monitors in breach"],
    [h.runningJobs.length, "job running", "jobs running"],
    [h.failedJobs.length, "job failed", "jobs failed"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return said.length ? said.join(" · ") : "Nothing needs attention right now.";
}

/**
 * The console's home: what needs a person now, for the engineer (running and failed jobs) and
 * the PM (approvals, breaches, retrains) alike. One read, refreshed while the page is open.
 */
export function HomeView() {
  const home = useHome();
  return (
    <>
      <PageHeader
        title="Home"
        description={home.data ? headline(home.data) : "What needs attention in this team."}
      />
      <QueryView
        query={home}
        loading="Loading what needs attention…"
        rows={6}
        errorTitle="Could not load the home page"
      >
        {(h) => (
          <div className="stack-lg" data-testid="home">
            <ApprovalsCard versions={h.awaitingApproval} />
            <MonitorsCard monitors={h.breachedMonitors} />
            <div className="two-col">
              <RunningJobsCard jobs={h.runningJobs} />
              <FailedJobsCard jobs={h.failedJobs} days={HOME_RECENT_DAYS} />
            </div>
            <RetrainsCard retrains={h.recentRetrains} days={HOME_RECENT_DAYS} />
          </div>
        )}
      </QueryView>
    </>
  );
}
