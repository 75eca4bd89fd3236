"use client";

import type { ModelCard } from "@/lib/schemas/model-cards";
import { ApiClientError } from "@/lib/client/api";
import { cardMarkdownUrl, useModelCard } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { modelHref, modelVersionHref } from "@/lib/client/hrefs";
import { canEdit } from "@/lib/client/permissions";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { GatePanel } from "./gate-panel";
import { DecisionsCards, HistoryCard } from "./model-card-history";
import { NarrativeCard } from "./model-card-narrative";
import { RoutingSummaryCard } from "./model-card-routing";
import { EvaluationCard, SummaryCard } from "./model-card-summary";
import { LineageCard, TrainingCards } from "./model-card-training";

function CardBodyView({ card, editable }: { card: ModelCard; editable: boolean }) {
  return (
    <div className="stack-lg model-card">
      <SummaryCard card={card} />
      <NarrativeCard card={card} editable={editable} />
      <EvaluationCard card={card} />
      <RoutingSummaryCard card={card} />
      <GatePanel
        gate={{
          status: card.gateStatus,
          conditions: card.gate?.conditions ?? [],
          failures: card.gateFailures,
          evidence: card.gate,
          decidedAt: card.gate ? (card.decisions[0]?.createdAt ?? null) : null,
          productionVersionId: null,
        }}
      />
      <DecisionsCards card={card} />
      <TrainingCards card={card} />
      <LineageCard card={card} />
      <HistoryCard card={card} />
    </div>
  );
}

/**
 * The model card: what the component does, its data, evaluation against the gate and
 * production, decisions, cost and history, for people who will not read the version page.
 */
export function ModelCardView({ id }: { id: string }) {
  const card = useModelCard(id);
  const active = useActiveTeam();
  const editable = canEdit(active?.team.role);
  const c = card.data;
  return (
    <>
      <Breadcrumbs
        items={[
          { href: "/models", label: "Models" },
          ...(c ? [{ href: modelHref(c.model.id), label: c.model.name }] : []),
          { href: modelVersionHref(id), label: c ? `v${c.version.version}` : "Version" },
          { label: "Model card" },
        ]}
      />
      <PageHeader
        title="Model card"
        description={c ? `${c.model.name} v${c.version.version}` : undefined}
        actions={
          <a href={cardMarkdownUrl(id)} download className="btn btn-sm">
            Export Markdown
          </a>
        }
      />
      <QueryView
        query={card}
        loading="Loading model card…"
        rows={8}
        errorTitle={
          card.error instanceof ApiClientError && card.error.status === 404
            ? "Model version not found"
            : "Could not load the model card"
        }
      >
        {(data) => <CardBodyView card={data} editable={editable} />}
      </QueryView>
    </>
  );
}
