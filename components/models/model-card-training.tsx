import Link from "next/link";
import type { ModelCard } from "@/lib/schemas/model-cards";
import { findBaseModel } from "@/lib/domain/base-models";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMetric,
  formatUsd,
} from "@/lib/client/format-units";
import { jobHref } from "@/lib/client/hrefs";
import { METHOD_LABEL, TRIGGER_LABEL } from "@/lib/client/training-labels";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TimeStamp } from "@/components/ui/time-stamp";
import { hyperparameterRows } from "./model-card-state";
import { ProvenanceChart } from "./provenance-chart";

function Hyperparameters({ hp }: { hp: Record<string, unknown> }) {
  const rows = hyperparameterRows(hp);
  if (rows.length === 0) return <p className="muted">No hyperparameters recorded.</p>;
  return (
    <dl className="hp-list">
      {rows.map((r) => (
        <div key={r.label}>
          <dt>{r.label}</dt>
          <dd className="mono">{r.text}</dd>
        </div>
      ))}
    </dl>
  );
}

/** How the adapter was trained (base model, method, license, files, hyperparameters) and its cost. */
export function TrainingCards({ card }: { card: ModelCard }) {
  const v = card.version;
  const base = findBaseModel(v.baseModel);
  const adapterBytes = v.adapterFiles.reduce((n, f) => n + f.bytes, 0);
  return (
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
                <dt>{card.training.compute?.device === "CPU" ? "CPU time" : "GPU time"}</dt>
                <dd className="mono">
                  {formatDuration(card.training.compute?.seconds ?? card.training.gpuSeconds)}
                </dd>
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
                  <Link href={jobHref(card.training.jobId)}>{card.training.jobId}</Link>
                </dd>
              </div>
            </dl>
          </CardBody>
        )}
      </Card>
    </div>
  );
}

/** The dataset version it learned from and where its rows came from. */
export function LineageCard({ card }: { card: ModelCard }) {
  return (
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
  );
}
