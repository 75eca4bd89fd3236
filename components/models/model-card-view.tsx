"use client";

import Link from "next/link";
import { useState } from "react";
import type { ModelCard } from "@/lib/schemas/model-cards";
import { findBaseModel } from "@/lib/domain/base-models";
import { ApiClientError } from "@/lib/client/api";
import { formatMetricValue, HEADLINE_METRICS, METRIC_LABEL } from "@/lib/client/eval-metrics";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMetric,
  formatUsd,
} from "@/lib/client/format-units";
import {
  cardMarkdownUrl,
  useModelCard,
  useUpdateModelCard,
  type NarrativeBody,
} from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { modelHref, modelVersionHref } from "@/lib/client/hrefs";
import { HP_ROWS } from "@/lib/client/hyperparameters";
import { canEdit } from "@/lib/client/permissions";
import { GATE_LABEL, GATE_TONE, STAGE_LABEL, STAGE_TONE } from "@/lib/client/registry-labels";
import { METHOD_LABEL, TRIGGER_LABEL } from "@/lib/client/training-labels";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LoadingState } from "@/components/ui/loading-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { TimeStamp } from "@/components/ui/time-stamp";
import { GatePanel } from "./gate-panel";
import { MetricCompareChart } from "./metric-compare-chart";
import { ProvenanceChart } from "./provenance-chart";

type NarrativeKey = keyof ModelCard["narrative"];

const NARRATIVE: { key: NarrativeKey; label: string; empty: string; multiline: boolean }[] = [
  {
    key: "intendedUse",
    label: "Intended use",
    empty: "Not written yet: what this component does in the agent, and for whom.",
    multiline: true,
  },
  {
    key: "limitations",
    label: "Limitations",
    empty: "Not written yet: where it is known to fail, and what it must not be used for.",
    multiline: true,
  },
  { key: "owner", label: "Owner", empty: "No owner named.", multiline: false },
];

/** One narrative field: read as text; engineers and up edit it in place. */
function NarrativeField({
  versionId,
  field,
  value,
  editable,
}: {
  versionId: string;
  field: (typeof NARRATIVE)[number];
  value: string;
  editable: boolean;
}) {
  const update = useUpdateModelCard(versionId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const lower = field.label.toLowerCase();
  if (editing)
    return (
      <div className="stack narrative-edit">
        <Field label={field.label}>
          {field.multiline ? (
            <Textarea
              rows={5}
              maxLength={20_000}
              value={draft}
              autoFocus
              onChange={(e) => setDraft(e.currentTarget.value)}
            />
          ) : (
            <Input
              maxLength={200}
              value={draft}
              autoFocus
              onChange={(e) => setDraft(e.currentTarget.value)}
            />
          )}
        </Field>
        {update.error && <ErrorState title={`Could not save ${lower}`} error={update.error} />}
        <div className="inline-gap">
          <Button
            variant="primary"
            size="sm"
            loading={update.isPending}
            onClick={() =>
              update.mutate({ [field.key]: draft } as NarrativeBody, {
                onSuccess: () => setEditing(false),
              })
            }
          >
            Save {lower}
          </Button>
          <Button size="sm" disabled={update.isPending} onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </div>
    );
  return (
    <div className="narrative-field">
      <div className="narrative-head">
        <h3 className="narrative-title">{field.label}</h3>
        {editable && (
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Edit ${lower}`}
            onClick={() => {
              update.reset();
              setDraft(value);
              setEditing(true);
            }}
          >
            Edit
          </Button>
        )}
      </div>
      {value.trim() ? (
        <p className="narrative-text">{value}</p>
      ) : (
        <p className="muted">{field.empty}</p>
      )}
    </div>
  );
}

function hpText(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "number") return formatMetric(v);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function Hyperparameters({ hp }: { hp: Record<string, unknown> }) {
  const known = new Set<string>(HP_ROWS.map((r) => r.key));
  const rows = [
    ...HP_ROWS.filter((r) => hp[r.key] !== undefined).map((r) => ({
      label: r.label,
      v: hp[r.key],
    })),
    ...Object.keys(hp)
      .filter((k) => !known.has(k))
      .sort()
      .map((k) => ({ label: k, v: hp[k] })),
  ];
  if (rows.length === 0) return <p className="muted">No hyperparameters recorded.</p>;
  return (
    <dl className="hp-list">
      {rows.map((r) => (
        <div key={r.label}>
          <dt>{r.label}</dt>
          <dd className="mono">{hpText(r.v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function CardBodyView({ card, editable }: { card: ModelCard; editable: boolean }) {
  const v = card.version;
  const self = card.evals.find((e) => e.targetKind === "VERSION");
  const prod = card.evals.find((e) => e.targetKind === "PRODUCTION");
  const base = findBaseModel(v.baseModel);
  const adapterBytes = v.adapterFiles.reduce((n, f) => n + f.bytes, 0);
  return (
    <div className="stack-lg model-card">
      <Card aria-labelledby="card-summary-title">
        <CardHeader title={<span id="card-summary-title">Summary</span>} />
        <CardBody>
          <div className="stack">
            <p className="card-summary-lead">
              <strong>{card.model.name}</strong> v{v.version}
              {card.model.description ? ` — ${card.model.description}` : ""}
            </p>
            <dl className="fact-row">
              <div>
                <dt>Stage</dt>
                <dd>
                  <Badge tone={STAGE_TONE[v.stage]}>{STAGE_LABEL[v.stage]}</Badge>
                </dd>
              </div>
              <div>
                <dt>Gate</dt>
                <dd>
                  {card.gate ? (
                    <Badge tone={GATE_TONE[card.gate.status]}>{GATE_LABEL[card.gate.status]}</Badge>
                  ) : (
                    <span className="muted">not evaluated</span>
                  )}
                </dd>
              </div>
              {HEADLINE_METRICS.map((m) => (
                <div key={m}>
                  <dt>{METRIC_LABEL[m]}</dt>
                  <dd className="mono">
                    {formatMetricValue(m, self?.metrics[m])}
                    {prod && typeof prod.metrics[m] === "number" && (
                      <span className="muted">
                        {" "}
                        (production {formatMetricValue(m, prod.metrics[m])})
                      </span>
                    )}
                  </dd>
                </div>
              ))}
              <div>
                <dt>Registered</dt>
                <dd>
                  <TimeStamp iso={v.createdAt} />
                </dd>
              </div>
            </dl>
          </div>
        </CardBody>
      </Card>

      <Card aria-labelledby="card-narrative-title">
        <CardHeader
          title={<span id="card-narrative-title">Use and ownership</span>}
          description="Written by the team; everything else on this card comes from data."
        />
        <CardBody>
          <div className="stack-lg">
            {NARRATIVE.map((f) => (
              <NarrativeField
                key={f.key}
                versionId={v.id}
                field={f}
                value={card.narrative[f.key]}
                editable={editable}
              />
            ))}
          </div>
        </CardBody>
      </Card>

      <Card aria-labelledby="card-eval-title">
        <CardHeader
          title={<span id="card-eval-title">Evaluation results</span>}
          description={
            card.evals[0]
              ? `On ${card.evals[0].suiteName}${self?.caseCount ? `, ${formatCount(self.caseCount)} cases` : ""}.`
              : undefined
          }
        />
        {card.evals.length === 0 ? (
          <EmptyState
            title="No evaluation results"
            description="This version has not been evaluated."
          />
        ) : (
          <CardBody>
            <MetricCompareChart
              title="Accuracy against production and the base model"
              series={card.evals.map((e, i) => ({
                key: `s${i}`,
                name: e.label,
                metrics: e.metrics,
              }))}
            />
          </CardBody>
        )}
      </Card>

      {card.gate && (
        <GatePanel
          gate={{
            status: card.gate.status,
            conditions: card.gate.conditions,
            failures: card.gate.failures,
            evidence: card.gate,
            decidedAt: card.decisions[0]?.createdAt ?? null,
            productionVersionId: null,
          }}
        />
      )}

      <div className="two-col">
        <Card aria-labelledby="card-decisions-title">
          <CardHeader title={<span id="card-decisions-title">Gate decisions</span>} />
          {card.decisions.length === 0 ? (
            <EmptyState title="No gate decisions yet" />
          ) : (
            <CardBody>
              <ul className="decision-list">
                {card.decisions.map((d, i) => (
                  <li key={i} className="decision">
                    <span className="inline-gap">
                      {d.passed ? (
                        <Badge tone="success">Passed</Badge>
                      ) : (
                        <Badge tone="danger">Failed</Badge>
                      )}
                      <span className="muted">
                        <TimeStamp iso={d.createdAt} />
                      </span>
                    </span>
                    {d.failures.length > 0 && (
                      <ul className="reason-list">
                        {d.failures.map((f, j) => (
                          <li key={j}>{f}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </CardBody>
          )}
        </Card>
        <Card aria-labelledby="card-approvals-title">
          <CardHeader title={<span id="card-approvals-title">Approvals</span>} />
          {card.approvals.length === 0 ? (
            <EmptyState title="No approvals recorded" />
          ) : (
            <CardBody>
              <ul className="decision-list">
                {card.approvals.map((a, i) => (
                  <li key={i} className="decision">
                    <span className="inline-gap">
                      <Badge tone={a.decision === "APPROVED" ? "success" : "danger"}>
                        {a.decision === "APPROVED" ? "Approved" : "Rejected"}
                      </Badge>
                      <strong>{a.by}</strong>
                      <span className="muted">
                        <TimeStamp iso={a.at} />
                      </span>
                    </span>
                    {a.comment && <p className="decision-comment">{a.comment}</p>}
                  </li>
                ))}
              </ul>
            </CardBody>
          )}
        </Card>
      </div>

      <div className="two-col">
        <Card aria-labelledby="card-training-title">
          <CardHeader title={<span id="card-training-title">Training</span>} />
          <CardBody>
            <div className="stack">
              <dl className="fact-row">
                <div>
                  <dt>Base model</dt>
                  <dd>
                    {base?.name ?? v.baseModel} <span className="mono muted">{v.baseModel}</span>
                  </dd>
                </div>
                <div>
                  <dt>Method</dt>
                  <dd>{v.method ? METHOD_LABEL[v.method] : "—"}</dd>
                </div>
                <div>
                  <dt>License</dt>
                  <dd>{v.license ?? base?.license ?? "—"}</dd>
                </div>
                <div>
                  <dt>Adapter</dt>
                  <dd>
                    {v.adapterFiles.length} files, {formatBytes(adapterBytes)}
                  </dd>
                </div>
              </dl>
              <Hyperparameters hp={v.hyperparameters} />
            </div>
          </CardBody>
        </Card>
        <Card aria-labelledby="card-cost-title">
          <CardHeader title={<span id="card-cost-title">Training cost</span>} />
          {!card.training ? (
            <EmptyState
              title="No training job"
              description="This adapter was registered without a retune training job."
            />
          ) : (
            <CardBody>
              <dl className="fact-row">
                <div>
                  <dt>Cost</dt>
                  <dd className="mono">{formatUsd(card.training.costUsd)}</dd>
                </div>
                <div>
                  <dt>GPU time</dt>
                  <dd className="mono">{formatDuration(card.training.gpuSeconds)}</dd>
                </div>
                <div>
                  <dt>Trigger</dt>
                  <dd>{TRIGGER_LABEL[card.training.trigger]}</dd>
                </div>
                <div>
                  <dt>Final loss</dt>
                  <dd className="mono">
                    {formatMetric(card.training.finalLoss)}
                    {card.training.finalEvalLoss != null &&
                      ` (eval ${formatMetric(card.training.finalEvalLoss)})`}
                  </dd>
                </div>
                <div>
                  <dt>Finished</dt>
                  <dd>
                    {card.training.finishedAt ? <TimeStamp iso={card.training.finishedAt} /> : "—"}
                  </dd>
                </div>
                <div>
                  <dt>Job</dt>
                  <dd>
                    <Link href={`/training-jobs/${encodeURIComponent(card.training.jobId)}`}>
                      {card.training.jobId}
                    </Link>
                  </dd>
                </div>
              </dl>
            </CardBody>
          )}
        </Card>
      </div>

      <Card aria-labelledby="card-lineage-title">
        <CardHeader
          title={<span id="card-lineage-title">Data lineage</span>}
          description={
            card.lineage
              ? `${card.lineage.datasetName} v${card.lineage.version}: ${formatCount(card.lineage.rows)} rows.`
              : undefined
          }
        />
        {!card.lineage ? (
          <EmptyState
            title="No retune dataset"
            description="This adapter was registered without a dataset version in retune."
          />
        ) : (
          <CardBody>
            <ProvenanceChart provenance={card.lineage.provenance} />
          </CardBody>
        )}
      </Card>

      <Card aria-labelledby="card-history-title">
        <CardHeader title={<span id="card-history-title">Version history</span>} />
        {card.history.length === 0 ? (
          <EmptyState title="No history" />
        ) : (
          <Table caption="Version history">
            <THead>
              <Tr>
                <Th>Version</Th>
                <Th>Stage</Th>
                <Th>Created</Th>
                <Th>Stage changes</Th>
              </Tr>
            </THead>
            <TBody>
              {[...card.history]
                .sort((a, b) => b.version - a.version)
                .map((h) => (
                  <Tr
                    key={h.version}
                    className={h.version === v.version ? "row-highlight" : undefined}
                  >
                    <Td className="mono">v{h.version}</Td>
                    <Td>
                      <Badge tone={STAGE_TONE[h.stage]}>{STAGE_LABEL[h.stage]}</Badge>
                    </Td>
                    <Td className="nowrap">
                      <TimeStamp iso={h.createdAt} />
                    </Td>
                    <Td>
                      {h.promotions.length === 0 ? (
                        <span className="muted">—</span>
                      ) : (
                        <ul className="reason-list">
                          {h.promotions.map((p, i) => (
                            <li key={i}>
                              {p.from ? STAGE_LABEL[p.from] : "—"} → {STAGE_LABEL[p.to]}{" "}
                              <span className="muted">
                                <TimeStamp iso={p.at} />
                                {p.by ? ` · ${p.by}` : ""}
                                {p.reason ? ` · ${p.reason}` : ""}
                              </span>
                            </li>
                          ))}
                        </ul>
                      )}
                    </Td>
                  </Tr>
                ))}
            </TBody>
          </Table>
        )}
      </Card>
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
      {card.isPending ? (
        <LoadingState label="Loading model card…" rows={8} />
      ) : card.isError ? (
        <ErrorState
          title={
            card.error instanceof ApiClientError && card.error.status === 404
              ? "Model version not found"
              : "Could not load the model card"
          }
          error={card.error}
          onRetry={() => void card.refetch()}
          retrying={card.isFetching}
        />
      ) : (
        <CardBodyView card={card.data} editable={editable} />
      )}
    </>
  );
}
