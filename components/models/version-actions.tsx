"use client";

import type { ModelVersionDetail } from "@/lib/schemas/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canPromote } from "@/lib/client/permissions";
import { PromoteDialog } from "./promote-dialog";

/**
 * Stage changes a role may ask for: staging, production (gate and approval permitting), and
 * archive. Rolling back is making an earlier version production again. Production is the primary
 * action only once the gate PASSED: an unevaluated or undecided version is not one click from
 * production.
 */
export function VersionActions({ version }: { version: ModelVersionDetail }) {
  const active = useActiveTeam();
  if (!canPromote(active?.team.role)) return null;
  const name = `${version.modelName} v${version.version}`;
  const { stage, gate, approval } = version;
  const refused = "the server will refuse unless an owner overrides with a reason.";
  const wasProduction = version.promotions.some((p) => p.toStage === "PRODUCTION");
  const gateNote = wasProduction
    ? "It was in production before: rolling back to it needs no new gate."
    : gate.status === "PASSED"
      ? "The gate passed."
      : gate.status === "FAILED"
        ? `The gate failed: ${refused}`
        : gate.status === "NOT_EVALUATED"
          ? `This version has not been evaluated: ${refused}`
          : `The gate has not passed yet: ${refused}`;
  const approvalNote =
    !wasProduction && approval.required && approval.status !== "APPROVED"
      ? " Approval is required and has not been given."
      : "";
  return (
    <>
      {(stage === "CANDIDATE" || stage === "ARCHIVED") && (
        <PromoteDialog
          versionId={version.id}
          versionName={name}
          stage="STAGING"
          label="Promote to staging"
          description="Staging is for shadow traffic and manual checks; it does not need the gate."
        />
      )}
      {stage !== "PRODUCTION" && (
        <PromoteDialog
          versionId={version.id}
          versionName={name}
          stage="PRODUCTION"
          label="Promote to production"
          variant={gate.status === "PASSED" ? "primary" : "secondary"}
          description={`It replaces the current production version. ${gateNote}${approvalNote}`}
        />
      )}
      {stage !== "ARCHIVED" && stage !== "PRODUCTION" && (
        <PromoteDialog
          versionId={version.id}
          versionName={name}
          stage="ARCHIVED"
          label="Archive"
          variant="ghost"
          description="It leaves the active stages. It stays in the history and can be promoted again."
        />
      )}
    </>
  );
}
