"use client";

import Link from "next/link";
import type { Dataset, DatasetStats } from "@/lib/schemas/datasets";
import { formatCompact, formatCount } from "@/lib/client/format-units";
import { useDatasets, useFinishedVersionStats } from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { NoSearchMatches, SearchBox, useSearchParam } from "@/components/ui/search-box";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { VersionStatusBadge } from "./version-status-badge";

/**
 * Every dataset of the team with its latest version's status; names link to the dataset. The
 * search (`?q=`, by the server) keeps those whose name or description contains the text.
 */
export function DatasetsList() {
  const active = useActiveTeam();
  const [q, setQ] = useSearchParam();
  const datasets = useDatasets(q);
  const finishedIds = (datasets.data ?? []).flatMap((d) =>
    d.latestVersion && d.latestVersion.status !== "VALIDATING" ? [d.latestVersion.id] : [],
  );
  const stats = useFinishedVersionStats(finishedIds);
  const canWrite = active?.can("resource.write") ?? false;
  return (
    <div className="stack-lg">
      <SearchBox
        label="Search datasets"
        placeholder="Name or description"
        value={q}
        onSearch={setQ}
      />
      <QueryView
        query={datasets}
        loading="Loading datasets…"
        rows={4}
        errorTitle="Could not load datasets"
        isEmpty={(list) => list.length === 0}
        empty={
          q ? (
            <NoSearchMatches noun="datasets" q={q} lookedAt="dataset names and descriptions" />
          ) : (
            <EmptyState
              title="No datasets yet"
              description={
                <>
                  <p>
                    Upload chat or tool-calling JSONL — preferably real production traces — and each
                    version is stored immutably with its content hash, provenance, row and token
                    statistics, a validation report and a train/eval split.
                  </p>
                  {canWrite ? (
                    <p className="muted">Start with “New dataset”, then upload a file into it.</p>
                  ) : (
                    active && (
                      <p className="muted">
                        Your role ({active.team.role}) can read datasets; engineers and above create
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
          <Table caption="Datasets">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Latest version</Th>
                <Th align="right">Rows (valid / all)</Th>
                <Th align="right">Tokens</Th>
                <Th align="right">Versions</Th>
                <Th>Created</Th>
              </Tr>
            </THead>
            <TBody>
              {list.map((d) => {
                const latest = d.latestVersion;
                return (
                  <Tr key={d.id}>
                    <Td>
                      <Link href={`/datasets/${encodeURIComponent(d.id)}`} className="strong-link">
                        {d.name}
                      </Link>
                      {d.description && (
                        <span className="cell-sub truncate-wide" title={d.description}>
                          {d.description}
                        </span>
                      )}
                    </Td>
                    <Td>
                      {latest ? (
                        <span className="inline-gap">
                          <span className="mono">v{latest.version}</span>
                          <VersionStatusBadge status={latest.status} />
                        </span>
                      ) : (
                        <span className="muted">No versions</span>
                      )}
                    </Td>
                    <StatCells dataset={d} stats={latest ? stats.byId.get(latest.id) : undefined} />
                    <Td align="right">{d.versionCount}</Td>
                    <Td className="nowrap">
                      <TimeStamp iso={d.createdAt} />
                    </Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </QueryView>
    </div>
  );
}

/**
 * Rows and tokens of the latest version. Undefined stats: not fetched yet (or validating);
 * null: the version has none (validation failed before counting).
 */
function StatCells({
  dataset,
  stats,
}: {
  dataset: Dataset;
  stats: DatasetStats | null | undefined;
}) {
  const latest = dataset.latestVersion;
  if (!latest || stats === null) {
    return (
      <>
        <Td align="right">—</Td>
        <Td align="right">—</Td>
      </>
    );
  }
  if (latest.status === "VALIDATING" || stats === undefined) {
    const label = latest.status === "VALIDATING" ? "validating…" : "…";
    return (
      <>
        <Td align="right" className="muted">
          {label}
        </Td>
        <Td align="right" className="muted">
          {label}
        </Td>
      </>
    );
  }
  return (
    <>
      <Td align="right">
        {formatCount(stats.validRows)}
        <span className="muted"> / {formatCount(stats.rows)}</span>
      </Td>
      <Td
        align="right"
        title={`${formatCount(stats.tokens.total)} tokens (${stats.tokens.tokenizer})`}
      >
        {stats.tokens.exact ? "" : "≈"}
        {formatCompact(stats.tokens.total)}
      </Td>
    </>
  );
}
