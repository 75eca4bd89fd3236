"use client";

import type { ReactNode } from "react";
import { useModel } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canEdit } from "@/lib/client/permissions";
import { ModelMonitorsPanel } from "./model-monitors-panel";
import { RetrainLoopPanel } from "./retrain-loop-panel";
import { RetrainPolicyPanel } from "./retrain-policy-panel";
import { TelemetryPanel } from "./telemetry-panel";

/**
 * The retune loop on a Model's page: production telemetry and drift monitors, then the retrain
 * policy and each re-tune's steps. The page hands it to the Model view, which draws it once the
 * Model has loaded (the same query, so nothing is fetched twice).
 */
export function ModelRetunePanels({
  modelId,
  trainingTemplate,
}: {
  modelId: string;
  /** Handed to the retrain policy: what a re-tune trains with (from training-jobs). */
  trainingTemplate?: ReactNode;
}) {
  const model = useModel(modelId);
  const active = useActiveTeam();
  if (!model.data) return null;
  const m = model.data;
  const editable = canEdit(active?.team.role);
  return (
    <>
      <section aria-label="Production and drift" className="stack-lg">
        <TelemetryPanel modelId={m.id} modelName={m.name} />
        <ModelMonitorsPanel model={{ id: m.id, name: m.name }} editable={editable} />
      </section>
      <section aria-label="Retraining" className="stack-lg">
        <RetrainPolicyPanel
          modelId={m.id}
          hasVersions={m.versions.length > 0}
          hasPolicy={m.hasRetrainPolicy}
          editable={editable}
          trainingTemplate={trainingTemplate}
        />
        <RetrainLoopPanel modelId={m.id} />
      </section>
    </>
  );
}
