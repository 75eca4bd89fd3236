import type { ModelCard } from "@/lib/schemas/model-cards";
import { formatShare, formatUsd } from "@/lib/client/format-units";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TimeStamp } from "@/components/ui/time-stamp";

/**
 * The version's routing calibration on the model card: the chosen escalation rule and what it
 * gives on the suite (share kept, hybrid accuracy, cost per 1,000 calls) against frontier-only,
 * with the prices the costs used.
 */
export function RoutingSummaryCard({ card }: { card: ModelCard }) {
  const r = card.routing;
  return (
    <Card aria-labelledby="card-routing-title">
      <CardHeader
        title={<span id="card-routing-title">Routing</span>}
        description={
          r ? (
            <>
              On {r.suiteName} ({r.cases} cases) against {r.frontierLabel}, calibrated{" "}
              <TimeStamp iso={r.createdAt} />.
            </>
          ) : undefined
        }
      />
      {!r ? (
        <EmptyState
          title="No routing calibration"
          description="Calibrate on the version page with a frontier endpoint's run of the same suite."
        />
      ) : (
        <CardBody>
          <div className="stack">
            <p>{r.ruleDescription ?? "No threshold was chosen."}</p>
            <dl className="fact-row">
              <div>
                <dt>Chosen τ</dt>
                <dd className="mono" data-testid="card-routing-threshold">
                  {r.rule ? String(r.rule.minConfidence) : "—"}
                </dd>
              </div>
              <div>
                <dt>Kept by this version</dt>
                <dd className="mono">{r.keptShare === null ? "—" : formatShare(r.keptShare)}</dd>
              </div>
              <div>
                <dt>Hybrid accuracy</dt>
                <dd className="mono">
                  {r.hybridAccuracy === null ? "—" : formatShare(r.hybridAccuracy)}{" "}
                  <span className="muted">(frontier only {formatShare(r.frontierAccuracy)})</span>
                </dd>
              </div>
              <div>
                <dt>Per 1,000 calls</dt>
                <dd className="mono">
                  {formatUsd(r.costPer1kUsd)}{" "}
                  <span className="muted">(frontier only {formatUsd(r.frontierCostPer1kUsd)})</span>
                </dd>
              </div>
            </dl>
            <p className="muted">Prices: {r.prices}.</p>
          </div>
        </CardBody>
      )}
    </Card>
  );
}
