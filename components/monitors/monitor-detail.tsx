"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { Monitor } from "@/lib/schemas/monitors";
import {
  useCheckMonitor,
  useDeleteMonitor,
  useMonitor,
  useMonitorChecks,
  useUpdateMonitor,
} from "@/lib/client/hooks/monitors";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { modelHref } from "@/lib/client/hrefs";
import { canEdit } from "@/lib/client/permissions";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { TimeStamp } from "@/components/ui/time-stamp";
import { CheckResultView } from "./check-result";
import { ChecksTable } from "./checks-table";
import { formatCondition, formatMonitorValue } from "./format";
import { ACTION_LABEL, METRIC_EXPLANATION, METRIC_LABEL } from "./labels";
import { MonitorChart } from "./monitor-chart";
import { MonitorSettings } from "./monitor-settings";
import { MonitorStateBadge } from "./monitor-state-badge";

const CRUMB = { href: "/monitors", label: "Monitors" };

function HeaderActions({ monitor }: { monitor: Monitor }) {
  const router = useRouter();
  const update = useUpdateMonitor(monitor.id);
  const remove = useDeleteMonitor();
  return (
    <>
      <Button
        onClick={() => update.mutate({ enabled: !monitor.enabled })}
        loading={update.isPending}
        aria-describedby={update.error ? "monitor-toggle-error" : undefined}
      >
        {monitor.enabled ? "Disable" : "Enable"}
      </Button>
      {update.error && (
        <span id="monitor-toggle-error" className="field-error" role="alert">
          {update.error.message}
        </span>
      )}
      <ConfirmDialog
        trigger={<Button variant="danger">Delete</Button>}
        title={`Delete monitor “${monitor.name}”?`}
        description="Its checks are deleted with it. Retrain requests it opened and their jobs stay."
        confirmLabel="Delete monitor"
        onConfirm={async () => {
          await remove.mutateAsync(monitor.id);
          router.push("/monitors");
        }}
      />
    </>
  );
}

function Facts({ monitor }: { monitor: Monitor }) {
  return (
    <dl className="fact-row">
      <div>
        <dt>Last value</dt>
        <dd
          className={monitor.state === "WARNING" ? "mono text-danger" : "mono"}
          data-testid="monitor-last-value"
        >
          {formatMonitorValue(monitor.metric, monitor.lastValue)}
        </dd>
      </div>
      <div>
        <dt>Breaches when</dt>
        <dd className="mono">
          {formatCondition(monitor.metric, monitor.comparator, monitor.threshold)}
        </dd>
      </div>
      <div>
        <dt>Window</dt>
        <dd className="mono">
          {monitor.window}, checked every {monitor.interval}
        </dd>
      </div>
      <div>
        <dt>On breach</dt>
        <dd>
          {ACTION_LABEL[monitor.action]}, then {monitor.cooldown} cooldown
        </dd>
      </div>
      <div>
        <dt>Last checked</dt>
        <dd>
          {monitor.lastCheckedAt ? (
            <TimeStamp iso={monitor.lastCheckedAt} format="relative" />
          ) : (
            "never"
          )}
        </dd>
      </div>
      <div>
        <dt>Last breach</dt>
        <dd>{monitor.lastBreachAt ? <TimeStamp iso={monitor.lastBreachAt} /> : "never"}</dd>
      </div>
      <div>
        <dt>Last action</dt>
        <dd>{monitor.lastActionAt ? <TimeStamp iso={monitor.lastActionAt} /> : "never"}</dd>
      </div>
    </dl>
  );
}

function ChecksSection({ monitor }: { monitor: Monitor }) {
  const checks = useMonitorChecks(monitor.id);
  return (
    <Card aria-labelledby="checks-title">
      <CardHeader
        title={<span id="checks-title">Checks</span>}
        description="The metric from production telemetry, with each check on top: a check measures the window back from when it ran; breached checks are red."
      />
      <QueryView
        query={checks}
        loading="Loading checks…"
        rows={4}
        errorTitle="Could not load checks"
      >
        {(list) => (
          <>
            <CardBody>
              <MonitorChart monitor={monitor} checks={list} />
            </CardBody>
            {list.length === 0 ? (
              <EmptyState
                title="No checks yet"
                description={`The scheduler checks every ${monitor.interval} while the monitor is enabled; “Check now” runs one at once.`}
              />
            ) : (
              <ChecksTable checks={list} metric={monitor.metric} modelId={monitor.modelId} />
            )}
          </>
        )}
      </QueryView>
    </Card>
  );
}

function MonitorView({ monitor }: { monitor: Monitor }) {
  const active = useActiveTeam();
  const writable = canEdit(active?.team.role);
  const check = useCheckMonitor(monitor);
  return (
    <>
      <Breadcrumbs items={[CRUMB, { label: monitor.name }]} />
      <PageHeader
        title={monitor.name}
        description={
          <span className="inline-gap">
            <MonitorStateBadge monitor={monitor} testId="monitor-state" />
            <span className="muted">
              {METRIC_LABEL[monitor.metric]} of{" "}
              <Link href={modelHref(monitor.modelId)}>{monitor.modelName}</Link>
            </span>
          </span>
        }
        actions={
          writable ? (
            <>
              <Button variant="primary" loading={check.isPending} onClick={() => check.mutate()}>
                Check now
              </Button>
              <HeaderActions monitor={monitor} />
            </>
          ) : undefined
        }
      />
      <p className="page-lead">{METRIC_EXPLANATION[monitor.metric]}</p>
      <div className="stack-lg">
        {check.error && <ErrorState title="The check failed" error={check.error} />}
        {check.data && <CheckResultView result={check.data} monitor={monitor} />}
        <Card>
          <CardBody>
            <Facts monitor={monitor} />
          </CardBody>
        </Card>
        <ChecksSection monitor={monitor} />
        <MonitorSettings monitor={monitor} editable={writable} />
      </div>
    </>
  );
}

/** A drift monitor: its state, "Check now", its checks as a chart and a table, and its settings. */
export function MonitorDetailView({ id }: { id: string }) {
  const monitor = useMonitor(id);
  return (
    <QueryView
      query={monitor}
      loading="Loading monitor…"
      rows={6}
      errorTitle="Could not load this monitor"
      notFound={{
        title: "Monitor not found",
        message: "It does not exist in this team. Check the team switcher.",
      }}
      errorLead={<Breadcrumbs items={[CRUMB, { label: "Not found" }]} />}
    >
      {(m) => <MonitorView monitor={m} />}
    </QueryView>
  );
}
