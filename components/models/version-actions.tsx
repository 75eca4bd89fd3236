"use client";

import type { ModelVersionDetail } from "@/lib/schemas/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canPromote } from "@/lib/client/permissions";
import { PromoteDialog } from "./promote-dialog";

/**
 * Stage changes a role may ask for: staging, production (gate and approval permitting), and
 * archive. Rolling back is making an earlier version production again.
 */
export function VersionActions({ version }: { version: ModelVersionDetail }) {
  const active = useActiveTeam();
  if (!canPromote(active?.team.role)) return null;
  const name = `${version.modelName} v${version.version}`;
  const { stage, gate, approval } = version;
  const gateNote =
    gate.status === "PASSED"
      ? "The gate passed."
      : gate.status === "FAILED"
        ? "The gate failed: the server will refuse unless an owner overrides with a reason."
        : "The gate has not been decided yet.";
  const approvalNote =
    approval.required && approval.status !== "APPROVED"
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
          variant="primary"
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
