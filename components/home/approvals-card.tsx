"use client";

import Link from "next/link";
import type { HomeApproval } from "@/lib/schemas/home";
import { modelHref, modelVersionHref } from "@/lib/client/hrefs";
import { GATE_LABEL, GATE_TONE, STAGE_LABEL, STAGE_TONE } from "@/lib/client/registry-labels";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { ApprovalActions } from "./approval-actions";
import { QuietEmpty } from "./quiet-empty";

/** Versions whose Model asks for a sign-off nobody has given yet, with Approve/Reject inline. */
export function ApprovalsCard({ versions }: { versions: readonly HomeApproval[] }) {
  return (
    <Card aria-labelledby="home-approvals-title">
      <CardHeader
        title={<span id="home-approvals-title">Awaiting approval</span>}
        description="Candidates whose Model's gate policy asks for a person's sign-off before production."
      />
      {versions.length === 0 ? (
        <QuietEmpty title="Nothing awaits approval">
          A version appears here when its Model’s gate policy requires approval and nobody has
          decided yet.
        </QuietEmpty>
      ) : (
        <Table caption="Versions awaiting approval">
          <THead>
            <Tr>
              <Th>Version</Th>
              <Th>Stage</Th>
              <Th>Gate</Th>
              <Th>Registered</Th>
              <Th>Decision</Th>
            </Tr>
          </THead>
          <TBody>
            {versions.map((v) => (
              <Tr key={v.id} data-testid="home-approval">
                <Td>
                  <Link href={modelVersionHref(v.id)} className="strong-link">
                    v{v.version}
                  </Link>{" "}
                  of <Link href={modelHref(v.modelId)}>{v.modelName}</Link>
                </Td>
                <Td>
                  <Badge tone={STAGE_TONE[v.stage]}>{STAGE_LABEL[v.stage]}</Badge>
                </Td>
                <Td>
                  <Badge tone={GATE_TONE[v.gateStatus]}>{GATE_LABEL[v.gateStatus]}</Badge>
                </Td>
                <Td className="nowrap">
                  <TimeStamp iso={v.createdAt} format="relative" />
                </Td>
                <Td>
                  <ApprovalActions version={v} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
