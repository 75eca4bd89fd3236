"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { ModelVersionDetail } from "@/lib/schemas/models";
import { findBaseModel } from "@/lib/domain/base-models";
import { formatBytes } from "@/lib/client/format-units";
import { useModelVersionDetail } from "@/lib/client/hooks/models";
import { jobHref, modelHref, versionCardHref, versionCompareHref } from "@/lib/client/hrefs";
import { GATE_LABEL, GATE_TONE, STAGE_LABEL, STAGE_TONE } from "@/lib/client/registry-labels";
import { adapterTarHref } from "@/lib/client/download-links";
import { ArtifactsTable } from "@/components/ui/artifacts-table";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { TarDownloadLink } from "@/components/ui/tar-download-link";
import { TimeStamp } from "@/components/ui/time-stamp";
import { ApprovalPanel } from "./approval-panel";
import { EvalsPanel } from "./evals-panel";
import { GatePanel } from "./gate-panel";
import { VersionActions } from "./version-actions";
import { VersionAliasesPanel } from "./version-aliases";
import { RoutingCard } from "./routing-card";
import { PromotionsTimeline, ServabilityPanel } from "./version-panels";

const CRUMB = { href: "/models", label: "Models" };

/**
 * One model version: stage and actions, the gate and its evidence, evaluations against
 * production and the base model (`evalRuns` lists the runs and `runEval` starts one; the page
 * composes both from the evals feature), routing (the escalation rule's calibration), approval,
 * promotions, vLLM servability, and the adapter.
 */
export function ModelVersionDetailView({
  id,
  evalRuns,
  runEval,
}: {
  id: string;
  evalRuns: ReactNode;
  runEval?: ReactNode;
}) {
  const version = useModelVersionDetail(id);
  return (
    <QueryView
      query={version}
      loading="Loading model version…"
      rows={6}
      errorTitle="Could not load this model version"
      notFound={{ title: "Model version not found", message: "It does not exist in this team." }}
      errorLead={<Breadcrumbs items={[CRUMB, { label: "Not found" }]} />}
    >
      {(v) => <VersionView version={v} evalRuns={evalRuns} runEval={runEval} />}
    </QueryView>
  );
}

function VersionView({
  version: v,
  evalRuns,
  runEval,
}: {
  version: ModelVersionDetail;
  evalRuns: ReactNode;
  runEval?: ReactNode;
}) {
  const total = (v.adapter?.files ?? []).reduce((n, f) => n + f.bytes, 0);
  return (
    <>
      <Breadcrumbs
        items={[
          CRUMB,
          { href: modelHref(v.modelId), label: v.modelName },
          { label: `v${v.version}` },
        ]}
      />
      <PageHeader
        title={`${v.modelName} · v${v.version}`}
        description={
          <span className="inline-gap">
            <Badge tone={STAGE_TONE[v.stage]} data-testid="model-version-stage">
              {STAGE_LABEL[v.stage]}
            </Badge>
            <Badge tone={GATE_TONE[v.gate.status]}>{GATE_LABEL[v.gate.status]}</Badge>
            {v.aliases.map((a) => (
              <Badge key={a}>@{a}</Badge>
            ))}
            <span className="muted">
              registered <TimeStamp iso={v.createdAt} />
            </span>
          </span>
        }
        actions={
          <>
            {runEval}
            <VersionActions version={v} />
          </>
        }
      />
      <nav className="inline-gap page-links" aria-label="Version pages">
        <Link href={versionCompareHref(v.id)} className="btn btn-sm">
          Compare
        </Link>
        <Link href={versionCardHref(v.id)} className="btn btn-sm">
          Model card
        </Link>
      </nav>
      <div className="stack-lg">
        <GatePanel gate={v.gate} />
        <EvalsPanel version={v} runs={evalRuns} />
        <RoutingCard version={v} />
        <div className="two-col">
          <ApprovalPanel version={v} />
          <PromotionsTimeline promotions={v.promotions} />
        </div>
        <VersionAliasesPanel version={v} />
        <ServabilityPanel servability={v.servability} />
        <Card aria-labelledby="adapter-title">
          <CardHeader title={<span id="adapter-title">Adapter</span>} />
          <CardBody>
            <dl className="details details-wide">
              <dt>Model</dt>
              <dd>
                <Link href={modelHref(v.modelId)}>{v.modelName}</Link>
              </dd>
              <dt>Base model</dt>
              <dd>
                {findBaseModel(v.baseModel)?.name ?? v.baseModel}{" "}
                <span className="mono muted">{v.baseModel}</span>
              </dd>
              <dt>Source job</dt>
              <dd>
                {v.trainingJobId ? (
                  <Link href={jobHref(v.trainingJobId)}>Training job {v.trainingJobId}</Link>
                ) : (
                  <span className="muted">registered without a training job</span>
                )}
              </dd>
              <dt>Adapter</dt>
              <dd className="mono truncate-wide" title={v.adapter?.uri}>
                {v.adapter?.uri ?? "—"}
              </dd>
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Adapter files"
            description={v.adapter ? `${formatBytes(total)} in all.` : undefined}
            actions={
              v.adapter && v.adapter.files.length > 0 ? (
                <TarDownloadLink href={adapterTarHref(v.id)} bytes={total} what="adapter" />
              ) : undefined
            }
          />
          {!v.adapter || v.adapter.files.length === 0 ? (
            <EmptyState
              title="No adapter files"
              description="This version has no stored adapter files."
            />
          ) : (
            <ArtifactsTable artifacts={v.adapter.files} caption="Adapter files" />
          )}
        </Card>
      </div>
    </>
  );
}
