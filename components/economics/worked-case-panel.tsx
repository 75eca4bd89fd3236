import type { WorkedCaseExplanation } from "@/lib/schemas/economics";
import type { EconomicsPresets } from "@/lib/schemas/economics-presets";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatMoney, formatPct } from "./format";

const atLeast = (share: number | null) => (share === null ? "none" : formatPct(share));

/**
 * The seed's worked case against the planner's model: what its reported figures take. Under a
 * proportional model 20% of $35,000 is already $7,000, above the reported $4,500 hybrid, so this
 * says at which routine share (or escalation price) $4,500 would hold instead of pretending to
 * reproduce it.
 */
export function WorkedCasePanel({
  workedCase,
  explanation,
}: {
  workedCase: EconomicsPresets["workedCase"];
  explanation: WorkedCaseExplanation;
}) {
  const r = explanation.routineShareFor;
  return (
    <Card aria-label="The worked case" data-testid="worked-case">
      <CardHeader
        level={3}
        title={`The worked case: ${workedCase.title}`}
        description={
          `${workedCase.tools} tools, ${workedCase.invocationsPerDay.toLocaleString("en-US")} invocations a day, ` +
          `${workedCase.smallModel}, ${workedCase.trainingExamples.toLocaleString("en-US")} training examples from ` +
          `${workedCase.trainingData}. Reported: ${formatMoney(workedCase.reported.hybridMonthlyUsd)} a month hybrid vs ` +
          `${formatMoney(workedCase.reported.frontierOnlyMonthlyUsd)} frontier-only.`
        }
      />
      <CardBody>
        <dl className="fact-row">
          <div>
            <dt>Frontier-only at list prices</dt>
            <dd className="mono">{formatMoney(explanation.frontierOnly.monthlyUsd)}</dd>
          </div>
          <div>
            <dt>Run bill at {formatPct(explanation.hybridAtReportedShare.routineShare)} routine</dt>
            <dd className="mono">{formatMoney(explanation.hybridAtReportedShare.runningUsd)}</dd>
          </div>
          <div>
            <dt>
              Routine share for {formatMoney(explanation.hybridAtReportedShare.reportedUsd)}, small
              model free / at its floor / modelled
            </dt>
            <dd className="mono" data-testid="worked-case-shares">
              {atLeast(r.freeSmallModel)} / {atLeast(r.servingAtFloor)} /{" "}
              {atLeast(r.modelledServing)}
            </dd>
          </div>
        </dl>
        <ol className="reason-list">
          {explanation.sentences.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      </CardBody>
    </Card>
  );
}
