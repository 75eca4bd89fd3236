"use client";

import Link from "next/link";
import { useMonitors } from "@/lib/client/hooks/monitors";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canEdit } from "@/lib/client/permissions";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { NoSearchMatches, SearchBox, useSearchParam } from "@/components/ui/search-box";
import { MonitorsTable } from "./monitors-table";
import { NewMonitorDialog } from "./new-monitor-dialog";

/** How the loop fits together, for people arriving before any monitor exists. */
export function LoopExplainer() {
  return (
    <ol className="stack" style={{ paddingLeft: 18, margin: 0, textAlign: "left" }}>
      <li>
        <strong>Telemetry.</strong> Production posts one event per call of a fine-tuned component to{" "}
        <code>POST /api/v1/telemetry</code> (outcome, tool-call validity, escalation, latency, cost,
        tool, intent), and opted-in full interactions to <code>POST /api/v1/traces</code>.
      </li>
      <li>
        <strong>Monitors.</strong> Each checks one metric over a window — tool-call error rate,
        escalations to the frontier model, shifts in the tool or intent mix — against a threshold,
        on a schedule and on demand.
      </li>
      <li>
        <strong>Retrain.</strong> A breach with enough samples alerts or opens a re-tune: a dataset
        built from recent traces, a training job, evaluation and the gate, then promotion by the
        Model&apos;s policy. Quarterly schedules do the same.
      </li>
    </ol>
  );
}

/**
 * Every monitor of the team across Models, with their state; "New monitor" for engineers and up.
 * The search (`?q=`, by the server) keeps monitors whose name or Model's name contains the text.
 */
export function MonitorsList() {
  const [q, setQ] = useSearchParam();
  const monitors = useMonitors(undefined, q);
  const active = useActiveTeam();
  const writable = canEdit(active?.team.role);

  return (
    <div className="stack-lg">
      <SearchBox
        label="Search monitors"
        placeholder="Monitor or Model name"
        value={q}
        onSearch={setQ}
      />
      <QueryView
        query={monitors}
        loading="Loading monitors…"
        rows={4}
        errorTitle="Could not load monitors"
        isEmpty={(list) => list.length === 0}
        empty={
          q ? (
            <NoSearchMatches noun="monitors" q={q} lookedAt="monitor and Model names" />
          ) : (
            <EmptyState
              title="No monitors yet"
              description={
                <>
                  <LoopExplainer />
                  {writable ? (
                    <p className="muted">
                      Create the first with “New monitor”. Each Model&apos;s page shows its
                      telemetry, its monitors and its retrain policy — see{" "}
                      <Link href="/models">Models</Link>.
                    </p>
                  ) : (
                    active && (
                      <p className="muted">
                        Your role ({active.team.role}) can read monitors; engineers and above create
                        them.
                      </p>
                    )
                  )}
                </>
              }
            />
          )
        }
      >
        {(list) => {
          const warnings = list.filter((m) => m.state === "WARNING").length;
          return (
            <div className="stack">
              <p className="muted" role="status">
                {list.length} {list.length === 1 ? "monitor" : "monitors"}
                {warnings > 0 && `, ${warnings} in warning`}
              </p>
              <MonitorsTable monitors={list} caption="Monitors" />
            </div>
          );
        }}
      </QueryView>
    </div>
  );
}

/** The page header's action: only roles that can create monitors see it. */
export function NewMonitorAction() {
  const active = useActiveTeam();
  return canEdit(active?.team.role) ? <NewMonitorDialog /> : null;
}
