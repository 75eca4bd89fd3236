"use client";

import { useState } from "react";
import type { HomeApproval } from "@/lib/schemas/home";
import { useDecideFromHome } from "@/lib/client/hooks/home";
import { Button } from "@/components/ui/button";

/**
 * Approve or Reject, inline, for whoever may decide; the server decides again and its refusal is
 * shown as it says it. Others see who may (and why not they), from the same rule.
 */
export function ApprovalActions({ version }: { version: HomeApproval }) {
  const decide = useDecideFromHome(version.id);
  const [pending, setPending] = useState<"approve" | "reject" | null>(null);
  const label = `${version.modelName} v${version.version}`;
  if (!version.youMayApprove)
    return (
      <span className="muted small" title={version.whyNot ?? undefined}>
        Needs {version.approverRoles.join(" or ")}
      </span>
    );
  function go(decision: "approve" | "reject") {
    setPending(decision);
    decide.mutate({ decision }, { onSettled: () => setPending(null) });
  }
  return (
    <span className="inline-gap">
      <Button
        size="sm"
        variant="primary"
        aria-label={`Approve ${label}`}
        loading={pending === "approve"}
        disabled={pending !== null}
        onClick={() => go("approve")}
      >
        Approve
      </Button>
      <Button
        size="sm"
        variant="danger"
        aria-label={`Reject ${label}`}
        loading={pending === "reject"}
        disabled={pending !== null}
        onClick={() => go("reject")}
      >
        Reject
      </Button>
      {decide.error && (
        <span className="field-error" role="alert">
          {decide.error.message}
        </span>
      )}
    </span>
  );
}
