import type { ReactNode } from "react";
import type { PlannerInput, PlannerResult } from "@/lib/schemas/economics";
import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCalls, formatMoney, formatMonths, formatPct, formatPerCall } from "./format";

function Figure({
  name,
  value,
  sub,
  testId,
  tone,
}: {
  name: string;
  value: string;
  sub?: ReactNode;
  testId: string;
  tone?: "good" | "bad";
}) {
  return (
    <Card aria-label={name} className="stat-card" data-testid={testId}>
      <p className="stat-name">{name}</p>
      <p className="stat-value">
        <span
          className={`stat-number econ-big${tone === "good" ? " delta-better" : tone === "bad" ? " delta-worse" : ""}`}
        >
          {value}
        </span>
      </p>
      {sub && <p className="stat-note">{sub}</p>}
    </Card>
  );
}

/**
 * The verdict in one sentence: where the end-to-end break-even lies against the volume entered.
 * This is the seed's "below ~10M invocations a month, frontier-only is usually cheaper end to
 * end", computed from the inputs instead of asserted.
 */
export function verdict(input: PlannerInput, result: PlannerResult): string {
  const be = result.breakEven.endToEndInvocationsPerMonth;
  const horizon = `${result.horizonMonths} months`;
  if (be === null) {
    return (
      "At these prices a hybrid call costs at least as much as a frontier call, so no volume pays " +
      "for the fine-tune: frontier-only is cheaper end to end."
    );
  }
  return input.invocationsPerMonth >= be
    ? `${formatCalls(input.invocationsPerMonth)} invocations a month is above the end-to-end break-even of ` +
        `${formatCalls(be)}: the hybrid pays for the project within ${horizon}.`
    : `${formatCalls(input.invocationsPerMonth)} invocations a month is below the end-to-end break-even of ` +
        `${formatCalls(be)}: frontier-only is cheaper end to end over ${horizon}.`;
}

/** Monthly cost of both ways, what the hybrid saves, when it pays back, and where it breaks even. */
export function PlannerResults({ input, result }: { input: PlannerInput; result: PlannerResult }) {
  const h = result.monthly.hybrid;
  const savings = result.monthly.savingsUsd;
  const be = result.breakEven;
  return (
    <div className="stack">
      <div className="stat-grid">
        <Figure
          testId="hybrid-monthly"
          name="Hybrid, per month"
          value={formatMoney(h.totalUsd)}
          sub={`${formatPct(input.routineShare)} on the small model, ${formatPct(1 - input.routineShare)} escalated`}
        />
        <Figure
          testId="frontier-monthly"
          name="Frontier-only, per month"
          value={formatMoney(result.monthly.frontierOnlyUsd)}
          sub={`${formatPerCall(result.perCall.frontierUsd)} a call × ${formatCalls(input.invocationsPerMonth)}`}
        />
      </div>
      <div className="stat-grid">
        <Figure
          testId="monthly-savings"
          name="Savings per month"
          value={formatMoney(savings)}
          tone={savings > 0 ? "good" : savings < 0 ? "bad" : undefined}
          sub={savings > 0 ? "frontier-only minus hybrid" : "the hybrid costs more"}
        />
        <Figure
          testId="payback"
          name="Payback"
          value={result.paybackMonths === null ? "never" : formatMonths(result.paybackMonths)}
          sub={`of a ${formatMoney(result.oneTime.totalUsd)} project`}
        />
        <Figure
          testId="break-even"
          name="Break-even, end to end"
          value={
            be.endToEndInvocationsPerMonth === null
              ? "none"
              : `${formatCalls(be.endToEndInvocationsPerMonth)} / month`
          }
          sub={
            be.recurringInvocationsPerMonth === null
              ? `invocations to pay back within ${result.horizonMonths} months; running costs never break even`
              : `invocations to pay back within ${result.horizonMonths} months; running costs alone break even at ${formatCalls(be.recurringInvocationsPerMonth)}`
          }
        />
      </div>
      <p data-testid="planner-verdict">{verdict(input, result)}</p>
      <Table caption="Monthly cost breakdown">
        <THead>
          <Tr>
            <Th>Item</Th>
            <Th align="right">Per month</Th>
            <Th>How</Th>
          </Tr>
        </THead>
        <TBody>
          <Tr>
            <Td>Small-model serving</Td>
            <Td align="right" className="mono">
              {formatMoney(h.servingUsd)}
            </Td>
            <Td className="small">
              {formatCalls(h.smallCalls)} calls at {formatPerCall(result.perCall.smallUsd)};
              replicas always on cost at least {formatMoney(h.servingFloorUsd)}
            </Td>
          </Tr>
          <Tr>
            <Td>Frontier escalations</Td>
            <Td align="right" className="mono">
              {formatMoney(h.frontierUsd)}
            </Td>
            <Td className="small">
              {formatCalls(h.escalatedCalls)} calls at{" "}
              {formatPerCall(result.perCall.escalatedFrontierUsd)}
            </Td>
          </Tr>
          <Tr>
            <Td>Re-tunes, amortised</Td>
            <Td align="right" className="mono">
              {formatMoney(h.retuneUsd)}
            </Td>
            <Td className="small">
              training, evals and engineer time per re-tune ÷ months between
            </Td>
          </Tr>
          <Tr>
            <Td>
              <strong>Hybrid total</strong>
            </Td>
            <Td align="right" className="mono">
              <strong>{formatMoney(h.totalUsd)}</strong>
            </Td>
            <Td className="small">
              plus the one-time project: {formatMoney(result.oneTime.engineeringUsd)} engineering +{" "}
              {formatMoney(result.oneTime.computeUsd)} compute
            </Td>
          </Tr>
        </TBody>
      </Table>
    </div>
  );
}
