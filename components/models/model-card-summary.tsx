import type { ModelCard } from "@/lib/schemas/model-cards";
import { formatMetricValue, HEADLINE_METRICS, METRIC_LABEL } from "@/lib/client/eval-metrics";
import { formatCount } from "@/lib/client/format-units";
import { GATE_LABEL, GATE_TONE, STAGE_LABEL, STAGE_TONE } from "@/lib/client/registry-labels";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TimeStamp } from "@/components/ui/time-stamp";
import { MetricCompareChart } from "./metric-compare-chart";

/** The evaluations the card leads with: this version's run, and production's if there is one. */
function headlineRuns(card: ModelCard) {
  return {
    self: card.evals.find((e) => e.targetKind === "VERSION"),
    prod: card.evals.find((e) => e.targetKind === "PRODUCTION"),
  };
}

/** Name, stage, gate, headline metrics against production, and when it was registered. */
export function SummaryCard({ card }: { card: ModelCard }) {
  const v = card.version;
  const { self, prod } = headlineRuns(card);
  return (
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
                <Badge tone={GATE_TONE[card.gateStatus]} data-testid="card-gate-status">
                  {GATE_LABEL[card.gateStatus]}
                </Badge>
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
  );
}

/** Accuracy against production and the base model on the Model's suite. */
export function EvaluationCard({ card }: { card: ModelCard }) {
  const { self } = headlineRuns(card);
  return (
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
  );
}
