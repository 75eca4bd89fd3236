"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import type { ModelDetail, VersionListItem } from "@/lib/schemas/models";
import { findBaseModel } from "@/lib/domain/base-models";
import { formatMetricValue, HEADLINE_METRICS, METRIC_LABEL } from "@/lib/client/eval-metrics";
import { useEvalSuites } from "@/lib/client/hooks/evals";
import { useModel, useUpdateModel } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { modelVersionHref } from "@/lib/client/hrefs";
import { canEdit, canPromote } from "@/lib/client/permissions";
import {
  APPROVAL_LABEL,
  APPROVAL_TONE,
  GATE_LABEL,
  GATE_TONE,
  STAGE_LABEL,
  STAGE_TONE,
} from "@/lib/client/registry-labels";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { ModelEconomicsPanel } from "./economics-panel";
import { GatePolicyPanel } from "./gate-policy-panel";
import { PromoteDialog } from "./promote-dialog";
import { VersionMetricChart } from "./version-accuracy-chart";

const CRUMB = { href: "/models", label: "Models" };

function VersionsTable({ model, promotable }: { model: ModelDetail; promotable: boolean }) {
  const versions = [...model.versions].sort((a, b) => b.version - a.version);
  return (
    <Table caption={`Versions of ${model.name}`}>
      <THead>
        <Tr>
          <Th>Version</Th>
          <Th>Stage</Th>
          <Th>Gate</Th>
          <Th>Approval</Th>
          {HEADLINE_METRICS.map((m) => (
            <Th key={m} align="right">
              {METRIC_LABEL[m]}
            </Th>
          ))}
          <Th>Created</Th>
          {promotable && (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </Tr>
      </THead>
      <TBody>
        {versions.map((v) => (
          <VersionRow key={v.id} model={model} v={v} promotable={promotable} />
        ))}
      </TBody>
    </Table>
  );
}

function VersionRow({
  model,
  v,
  promotable,
}: {
  model: ModelDetail;
  v: VersionListItem;
  promotable: boolean;
}) {
  const production = v.stage === "PRODUCTION";
  const prod = model.production;
  const rollback = prod !== null && v.version < prod.version;
  return (
    <Tr className={production ? "row-highlight" : v.stage === "ARCHIVED" ? "row-muted" : undefined}>
      <Td>
        <Link href={modelVersionHref(v.id)} className="strong-link">
          v{v.version}
        </Link>
        <span className="cell-sub">{findBaseModel(v.baseModel)?.name ?? v.baseModel}</span>
      </Td>
      <Td>
        <Badge tone={STAGE_TONE[v.stage]}>{STAGE_LABEL[v.stage]}</Badge>
        {v.aliases.map((a) => (
          <span key={a} className="cell-sub mono">
            @{a}
          </span>
        ))}
      </Td>
      <Td>
        {v.gateStatus ? (
          <Badge tone={GATE_TONE[v.gateStatus]}>{GATE_LABEL[v.gateStatus]}</Badge>
        ) : (
          <span className="muted">—</span>
        )}
      </Td>
      <Td>
        <Badge tone={APPROVAL_TONE[v.approvalStatus]}>{APPROVAL_LABEL[v.approvalStatus]}</Badge>
      </Td>
      {HEADLINE_METRICS.map((m) => (
        <Td key={m} align="right" className="mono">
          {formatMetricValue(m, v.metrics[m])}
        </Td>
      ))}
      <Td className="nowrap">
        <TimeStamp iso={v.createdAt} />
      </Td>
      {promotable && (
        <Td align="right">
          {!production && (
            <PromoteDialog
              versionId={v.id}
              versionName={`${model.name} v${v.version}`}
              stage="PRODUCTION"
              label="Make production"
              size="sm"
              variant="ghost"
              triggerAriaLabel={`Make v${v.version} production`}
              description={
                rollback
                  ? `Rolls production back from v${prod!.version} to v${v.version}. Serving picks it up on its next reload.`
                  : prod
                    ? `Replaces v${prod.version} in production. The gate and approval must allow it.`
                    : "Makes it the first production version. The gate and approval must allow it."
              }
            />
          )}
        </Td>
      )}
    </Tr>
  );
}

function SuitePanel({ model, editable }: { model: ModelDetail; editable: boolean }) {
  const [editing, setEditing] = useState(false);
  const [suiteId, setSuiteId] = useState(model.evalSuiteId ?? "");
  const suites = useEvalSuites();
  const update = useUpdateModel(model.id);
  const current = suites.data?.find((s) => s.id === model.evalSuiteId);
  return (
    <Card aria-labelledby="suite-title">
      <CardHeader
        title={<span id="suite-title">Eval suite</span>}
        description="New versions, production and the base model are evaluated on it."
        actions={
          editable && !editing ? (
            <Button
              size="sm"
              aria-label="Change eval suite"
              onClick={() => {
                setSuiteId(model.evalSuiteId ?? "");
                setEditing(true);
              }}
            >
              Change
            </Button>
          ) : undefined
        }
      />
      <CardBody>
        {editing ? (
          <div className="stack">
            <Select
              aria-label="Eval suite"
              value={suiteId}
              onChange={(e) => setSuiteId(e.currentTarget.value)}
              options={[
                { value: "", label: "No suite" },
                ...(suites.data ?? []).map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
            {update.error && <ErrorState title="Could not change the suite" error={update.error} />}
            <div className="inline-gap">
              <Button
                variant="primary"
                size="sm"
                loading={update.isPending}
                onClick={() =>
                  update.mutate(
                    { evalSuiteId: suiteId || null },
                    { onSuccess: () => setEditing(false) },
                  )
                }
              >
                Save suite
              </Button>
              <Button size="sm" onClick={() => setEditing(false)} disabled={update.isPending}>
                Cancel
              </Button>
            </div>
          </div>
        ) : model.evalSuiteId ? (
          <dl className="fact-row">
            <div>
              <dt>Suite</dt>
              <dd>
                <Link href={`/evals?suiteId=${encodeURIComponent(model.evalSuiteId)}`}>
                  {model.evalSuiteName ?? model.evalSuiteId}
                </Link>
              </dd>
            </div>
            {current && (
              <>
                <div>
                  <dt>Dataset</dt>
                  <dd>
                    {current.datasetName} v{current.datasetVersion} ({current.split})
                  </dd>
                </div>
                <div>
                  <dt>Scorers</dt>
                  <dd>{current.scorers.join(", ")}</dd>
                </div>
              </>
            )}
          </dl>
        ) : (
          <p className="muted">
            No suite: versions are not evaluated, so the gate cannot pass. Choose one with Change.
          </p>
        )}
      </CardBody>
    </Card>
  );
}

/**
 * A Model: its production version, versions with gate and approval status and headline
 * metrics, tool-call accuracy across versions, the gate policy and the eval suite, then
 * `retune`: the retune loop's sections (telemetry, drift monitors, retrain policy and each
 * re-tune's steps), which the page composes from the monitors feature, then the Model's live
 * economics (hybrid cost against frontier-only).
 */
export function ModelDetailView({ id, retune }: { id: string; retune: ReactNode }) {
  const model = useModel(id);
  return (
    <QueryView
      query={model}
      loading="Loading model…"
      rows={6}
      errorTitle="Could not load this model"
      notFound={{
        title: "Model not found",
        message: "It does not exist in this team. Check the team switcher.",
      }}
      errorLead={<Breadcrumbs items={[CRUMB, { label: "Not found" }]} />}
    >
      {(m) => <ModelView model={m} retune={retune} />}
    </QueryView>
  );
}

function ModelView({ model: m, retune }: { model: ModelDetail; retune: ReactNode }) {
  const active = useActiveTeam();
  const role = active?.team.role;
  const threshold = m.gatePolicy?.conditions.find(
    (c) => c.metric === "tool_call_accuracy" && !c.relativeTo,
  )?.threshold;
  return (
    <>
      <Breadcrumbs items={[CRUMB, { label: m.name }]} />
      <PageHeader
        title={m.name}
        description={
          <span className="inline-gap">
            {m.production ? (
              <Link href={modelVersionHref(m.production.id)} data-testid="production-version">
                <Badge tone="success">Production v{m.production.version}</Badge>
              </Link>
            ) : (
              <Badge>No production version</Badge>
            )}
            <span className="muted">
              {m.versionCount} {m.versionCount === 1 ? "version" : "versions"} · updated{" "}
              <TimeStamp iso={m.updatedAt} format="relative" />
            </span>
          </span>
        }
      />
      {m.description && <p className="page-lead">{m.description}</p>}
      <div className="stack-lg model-sections">
        <section aria-labelledby="versions-title" className="stack">
          <Card>
            <CardHeader
              title={<span id="versions-title">Versions</span>}
              description="Each version is evaluated on the suite and gated against production."
            />
            {m.versions.length === 0 ? (
              <EmptyState
                title="No versions yet"
                description="A version is registered when a training job for this model succeeds."
              />
            ) : (
              <>
                <CardBody>
                  <VersionMetricChart versions={m.versions} threshold={threshold ?? null} />
                </CardBody>
                <VersionsTable model={m} promotable={canPromote(role)} />
              </>
            )}
          </Card>
        </section>
        <section aria-label="Gate and evaluation" className="two-col">
          <GatePolicyPanel modelId={m.id} policy={m.gatePolicy} editable={canEdit(role)} />
          <SuitePanel key={m.evalSuiteId ?? ""} model={m} editable={canEdit(role)} />
        </section>
        {retune}
        <section aria-label="Economics" className="stack-lg">
          <ModelEconomicsPanel modelId={m.id} />
        </section>
      </div>
    </>
  );
}
