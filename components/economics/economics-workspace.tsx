"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { planEconomics } from "@/lib/domain/economics/planner";
import { explainWorkedCase } from "@/lib/domain/economics/worked-case";
import type { PriceList } from "@/lib/schemas/economics";
import type { EconomicsPresets } from "@/lib/schemas/economics-presets";
import type { PriceListOrigin } from "@/lib/schemas/price-list";
import { useEconomicsPresets, useTeamPrices } from "@/lib/client/hooks/economics";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { AdvisorPanel } from "./advisor-panel";
import { PlannerForm } from "./planner-form";
import {
  blankPlannerForm,
  formFromInput,
  parsePlannerForm,
  pricePool,
  type PlannerForm as Form,
} from "./planner-form-state";
import { PlannerResults } from "./planner-results";
import { PricesUsed } from "./prices-used";
import { SensitivityCharts } from "./sensitivity-charts";
import { WorkedCasePanel } from "./worked-case-panel";

/** The Economics page: the price list and presets load, then the planner and the advisor. */
export function EconomicsWorkspace() {
  const prices = useTeamPrices();
  const presets = useEconomicsPresets();
  if (prices.isPending || presets.isPending) {
    return <LoadingState label="Loading prices and presets…" rows={6} />;
  }
  if (prices.isError || presets.isError) {
    return (
      <ErrorState
        title="Could not load the planner"
        error={prices.error ?? presets.error}
        retrying={prices.isFetching || presets.isFetching}
        onRetry={() => {
          if (prices.isError) void prices.refetch();
          if (presets.isError) void presets.refetch();
        }}
      />
    );
  }
  const list = prices.data.entries.map((e) => e.price);
  if (!list.some((p) => p.kind === "frontier") || !list.some((p) => p.kind === "self_hosted")) {
    return (
      <EmptyState
        title="No prices to plan with"
        description="The planner needs at least one frontier price and one self-hosted serving price in the team's list."
      >
        <Link className="btn btn-primary" href="/settings/prices">
          Open the price list
        </Link>
      </EmptyState>
    );
  }
  return <Planner list={list} origin={prices.data.origin} presets={presets.data} />;
}

function Planner({
  list,
  origin,
  presets,
}: {
  list: PriceList;
  origin: PriceListOrigin;
  presets: EconomicsPresets;
}) {
  const [form, setForm] = useState<Form>(() =>
    blankPlannerForm(list, presets.loadedUsdPerEngineerWeek),
  );
  const [workedCase, setWorkedCase] = useState(false);
  const wc = presets.workedCase;
  const pool = useMemo(
    () => pricePool(list, workedCase ? [wc.input.frontier, wc.input.serving] : []),
    [list, workedCase, wc],
  );
  const teamKeys = useMemo(() => new Set(list.map((p) => `${p.kind}/${p.id}`)), [list]);
  const parsed = useMemo(() => parsePlannerForm(form, pool), [form, pool]);
  const ready = parsed.state === "ready" ? parsed.input : null;
  const result = useMemo(() => (ready ? planEconomics(ready) : null), [ready]);
  const explanation = useMemo(
    () => (workedCase && ready ? explainWorkedCase(ready, wc.reported) : null),
    [workedCase, ready, wc],
  );

  const loadWorkedCase = () => {
    setForm(formFromInput(wc.input, "hybrid_system"));
    setWorkedCase(true);
  };
  const clear = () => {
    setForm(blankPlannerForm(list, presets.loadedUsdPerEngineerWeek));
    setWorkedCase(false);
  };

  return (
    <div className="stack-lg">
      <Card aria-label="Planner">
        <CardHeader
          title="Should we fine-tune?"
          description="Monthly cost of a hybrid — a fine-tuned small model for the routine calls, a frontier model for the rest — against sending every call to the frontier, with the project's cost and its payback."
          actions={
            <>
              <Button variant="primary" size="sm" onClick={loadWorkedCase}>
                Load the worked case
              </Button>
              <Button size="sm" onClick={clear}>
                Clear
              </Button>
            </>
          }
        />
        <CardBody>
          {origin === "seed" && (
            <Notice>
              Prices are retune&apos;s seeded public list prices, each dated; the team has not saved
              its own yet (<Link href="/settings/prices">Settings → Prices</Link>).
            </Notice>
          )}
          <PlannerForm
            form={form}
            onChange={setForm}
            errors={parsed.state === "invalid" ? parsed.errors : {}}
            pool={pool}
            teamPriceKeys={teamKeys}
            shapes={presets.projectShapes}
          />
        </CardBody>
      </Card>

      <Card aria-label="Results">
        <CardHeader title="Results" />
        <CardBody>
          {parsed.state === "empty" && (
            <EmptyState
              title="Nothing to price yet"
              description="Enter invocations per month and tokens per call, or start from the seed's worked case: a B2B support agent with 12 tools and 100K invocations a day."
            >
              <Button variant="primary" onClick={loadWorkedCase}>
                Load the worked case
              </Button>
            </EmptyState>
          )}
          {parsed.state === "invalid" && (
            <Notice tone="warning">Fix the inputs marked above to see the results.</Notice>
          )}
          {ready && result && (
            <div className="stack-lg">
              <PlannerResults input={ready} result={result} />
              <SensitivityCharts input={ready} result={result} />
              <section className="stack" aria-label="Prices used">
                <h3 className="form-section-title">Prices used</h3>
                <PricesUsed prices={result.pricesUsed} />
              </section>
              {explanation && <WorkedCasePanel workedCase={wc} explanation={explanation} />}
            </div>
          )}
        </CardBody>
      </Card>

      <AdvisorPanel
        planner={
          ready && result
            ? {
                invocationsPerMonth: ready.invocationsPerMonth,
                breakEvenInvocationsPerMonth: result.breakEven.endToEndInvocationsPerMonth,
              }
            : null
        }
        retuneCadence={form.cadence}
      />
    </div>
  );
}
