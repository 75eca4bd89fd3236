"use client";

import Link from "next/link";
import { useModels } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { modelHref, modelVersionHref } from "@/lib/client/hrefs";
import { canEdit } from "@/lib/client/permissions";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { NoSearchMatches, SearchBox, useSearchParam } from "@/components/ui/search-box";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { RegisterModelDialog } from "./register-model-dialog";

/**
 * The team's registered models with their production version, suite and version count. The
 * search (`?q=`, by the server) keeps those whose name or description contains the text.
 */
export function ModelsList() {
  const [q, setQ] = useSearchParam();
  const models = useModels(q);
  const active = useActiveTeam();
  const writable = canEdit(active?.team.role);

  return (
    <div className="stack-lg">
      <SearchBox
        label="Search models"
        placeholder="Name or description"
        value={q}
        onSearch={setQ}
      />
      <QueryView
        query={models}
        loading="Loading models…"
        rows={4}
        errorTitle="Could not load models"
        isEmpty={(list) => list.length === 0}
        empty={
          q ? (
            <NoSearchMatches noun="models" q={q} lookedAt="Model names and descriptions" />
          ) : (
            <EmptyState
              title="No models registered yet"
              description={
                <>
                  <p>
                    A model is one fine-tunable part of an agent, such as a support agent’s tool
                    caller. Its versions are evaluated on a suite, gated against production, and
                    promoted through staging and production, each with a model card.
                  </p>
                  {writable ? (
                    <p className="muted">Use “Register model” above to add the first one.</p>
                  ) : (
                    active && (
                      <p className="muted">
                        Your role ({active.team.role}) can read models; engineers and above register
                        them.
                      </p>
                    )
                  )}
                </>
              }
            />
          )
        }
      >
        {(list) => (
          <Table caption="Models">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Production</Th>
                <Th align="right">Versions</Th>
                <Th>Eval suite</Th>
                <Th>Updated</Th>
              </Tr>
            </THead>
            <TBody>
              {list.map((m) => (
                <Tr key={m.id}>
                  <Td>
                    <Link href={modelHref(m.id)} className="strong-link">
                      {m.name}
                    </Link>
                    {m.description && (
                      <span className="cell-sub truncate-wide">{m.description}</span>
                    )}
                  </Td>
                  <Td>
                    {m.production ? (
                      <Link href={modelVersionHref(m.production.id)}>
                        <Badge tone="success">v{m.production.version}</Badge>
                      </Link>
                    ) : (
                      <span className="muted">none yet</span>
                    )}
                  </Td>
                  <Td align="right">
                    {m.versionCount}
                    {m.latestVersion !== null && (
                      <span className="cell-sub">latest v{m.latestVersion}</span>
                    )}
                  </Td>
                  <Td>{m.evalSuiteName ?? <span className="muted">none</span>}</Td>
                  <Td className="nowrap">
                    <TimeStamp iso={m.updatedAt} format="relative" />
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </div>
  );
}

/** The page header's action: only roles that can register see it. */
export function RegisterModelAction() {
  const active = useActiveTeam();
  return canEdit(active?.team.role) ? <RegisterModelDialog /> : null;
}
