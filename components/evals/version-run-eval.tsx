"use client";

import { useModel, useModelVersionDetail } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { RunEvalDialog } from "./run-eval-dialog";

/**
 * "Run eval" on a model version's page: the run dialog with this version chosen and the Model's
 * own suite, when it has one, preselected. The page composes it into the version's header; the
 * queries are the page's own (cached), so nothing is fetched twice.
 */
export function VersionRunEval({ versionId }: { versionId: string }) {
  const active = useActiveTeam();
  const version = useModelVersionDetail(versionId);
  const modelId = version.data?.modelId ?? "";
  const model = useModel(modelId, { enabled: Boolean(modelId) });
  if (!active?.can("resource.write") || !version.data) return null;
  return (
    <RunEvalDialog
      // Remounted once the Model's suite is known, so it is the one preselected.
      key={model.data?.evalSuiteId ?? ""}
      defaultModelVersionId={versionId}
      defaultSuiteId={model.data?.evalSuiteId ?? ""}
    />
  );
}
