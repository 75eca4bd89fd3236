"use client";

import Link from "next/link";
import { TARGET_KIND_LABEL } from "@/lib/client/eval-labels";
import { useModelVersionDetail } from "@/lib/client/hooks/models";
import { evalRunHref } from "@/lib/client/hrefs";
import { classifyEvals, evalRoles } from "@/lib/client/version-evals";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { EvalProgress, EvalStatusBadge } from "./run-status";

/**
 * A model version's evaluation runs, each with what it evaluated, its status and progress. The
 * version page composes it into the version's Evaluations card (the same query as the page).
 */
export function VersionEvalRuns({ versionId }: { versionId: string }) {
  const version = useModelVersionDetail(versionId);
  if (!version.data) return null;
  const v = version.data;
  const roles = evalRoles(classifyEvals(v.evals, v.id, v.gate.productionVersionId), v.version);
  if (roles.length === 0) return null;
  return (
    <Table caption="Evaluation runs">
      <THead>
        <Tr>
          <Th>Run of</Th>
          <Th>Target</Th>
          <Th>Status</Th>
          <Th>Progress</Th>
          <Th>
            <span className="sr-only">Link</span>
          </Th>
        </Tr>
      </THead>
      <TBody>
        {roles.map(({ role, run }) => (
          <Tr key={run.runId}>
            <Td>{role}</Td>
            <Td>
              <span className="muted">{TARGET_KIND_LABEL[run.target.kind]}</span>{" "}
              <span className="mono">{run.target.label}</span>
            </Td>
            <Td>
              <EvalStatusBadge status={run.status} />
            </Td>
            <Td className="job-progress-cell">
              <EvalProgress
                status={run.status}
                progress={run.progress}
                caseCount={run.caseCount}
                label={`Progress of the ${role} run`}
              />
            </Td>
            <Td align="right">
              <Link href={evalRunHref(run.runId)} aria-label={`Open the ${role} run`}>
                Open run
              </Link>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
