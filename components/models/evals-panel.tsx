"use client";

import type { ReactNode } from "react";
import type { ModelVersionDetail } from "@/lib/schemas/models";
import { classifyEvals } from "@/lib/client/version-evals";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { MetricCompareChart, type MetricSeries } from "./metric-compare-chart";

/**
 * The version's evaluations on the Model's suite next to production's and the base model's:
 * a grouped bar chart of accuracies, then `runs`, each run's status (the page composes it from
 * the evals feature).
 */
export function EvalsPanel({ version, runs }: { version: ModelVersionDetail; runs: ReactNode }) {
  const { candidate, production, base } = classifyEvals(
    version.evals,
    version.id,
    version.gate.productionVersionId,
  );
  const series: MetricSeries[] = [];
  if (candidate?.status === "SUCCEEDED")
    series.push({ key: "candidate", name: `v${version.version}`, metrics: candidate.metrics });
  if (production?.status === "SUCCEEDED")
    series.push({
      key: "production",
      name: production.target.label ? `Production (${production.target.label})` : "Production",
      metrics: production.metrics,
    });
  if (base?.status === "SUCCEEDED")
    series.push({ key: "base", name: "Base model", metrics: base.metrics });

  return (
    <Card aria-labelledby="evals-title">
      <CardHeader
        title={<span id="evals-title">Evaluations</span>}
        description="This version, production and the base model on the Model's suite."
      />
      {version.evals.length === 0 ? (
        <EmptyState
          title="Not evaluated yet"
          description="Runs start when the version is registered and the Model has an eval suite; start one from Evals."
        />
      ) : (
        <>
          {series.length > 0 && (
            <CardBody>
              <MetricCompareChart title="Accuracy by run" series={series} />
            </CardBody>
          )}
          {runs}
        </>
      )}
    </Card>
  );
}
