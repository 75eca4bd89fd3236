"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { formatCount } from "@/lib/client/format-units";
import { useTraces } from "@/lib/client/hooks/traces";
import { traceHref } from "@/lib/client/hrefs";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import {
  apiFilters,
  hasFilters,
  patchedSearch,
  readUrlFilters,
  urlSearch,
  type UrlFilters,
} from "./filter-state";
import { IngestHelp } from "./ingest-help";
import { CORRECTED_LABEL } from "./labels";
import { OutcomeBadge } from "./outcome-badge";
import { TraceFilters } from "./trace-filters";

/**
 * The filters in the URL, and a setter that applies a change to the filters last requested:
 * router.replace lands a moment later, and a change made meanwhile (a debounced tool name, a
 * second select) must build on the first, not on the URL it has not reached yet.
 */
function useUrlFilters(): [UrlFilters, (patch: Partial<UrlFilters>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = urlSearch(readUrlFilters(params));
  const filters = useMemo(() => readUrlFilters(new URLSearchParams(search)), [search]);
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (pending.current === search) pending.current = null;
  }, [search]);
  const set = useCallback(
    (patch: Partial<UrlFilters>) => {
      const next = patchedSearch(pending.current ?? search, patch);
      pending.current = next;
      router.replace(`${pathname}${next}`, { scroll: false });
    },
    [router, pathname, search],
  );
  return [filters, set];
}

/** The team's production traces, newest first, filtered through the URL, a page at a time. */
export function TracesBrowser() {
  const [filters, setFilters] = useUrlFilters();
  const query = useMemo(() => apiFilters(filters), [filters]);
  const traces = useTraces(query);
  const rows = useMemo(() => traces.data?.pages.flatMap((p) => p.traces) ?? [], [traces.data]);

  let body;
  if (traces.isPending) body = <LoadingState label="Loading traces…" rows={6} />;
  else if (traces.isError && rows.length === 0)
    body = (
      <ErrorState
        title="Could not load traces"
        error={traces.error}
        onRetry={() => void traces.refetch()}
        retrying={traces.isFetching}
      />
    );
  else if (rows.length === 0 && hasFilters(filters))
    body = (
      <EmptyState
        title="No traces match these filters"
        description="Clear a filter or widen the date range to see more."
      />
    );
  else if (rows.length === 0)
    body = (
      <>
        <EmptyState
          title="No traces yet"
          description="Production interactions your agents send show up here, ready to filter, read and turn into retraining data."
        />
        <Card>
          <CardHeader title="Send traces from production" />
          <CardBody>
            <IngestHelp />
          </CardBody>
        </Card>
      </>
    );
  else
    body = (
      <>
        <Table caption="Traces" aria-busy={traces.isFetching || undefined}>
          <THead>
            <Tr>
              <Th>Time</Th>
              <Th>Model</Th>
              <Th>Outcome</Th>
              <Th>Corrected by</Th>
              <Th>Tools called</Th>
              <Th align="right">Messages</Th>
            </Tr>
          </THead>
          <TBody>
            {rows.map((t) => (
              <Tr key={t.id}>
                <Td className="nowrap">
                  <Link href={traceHref(t.id)} className="strong-link">
                    <TimeStamp iso={t.timestamp} />
                  </Link>
                  <span className="cell-sub mono truncate-wide" title={t.traceId}>
                    {t.traceId}
                  </span>
                </Td>
                <Td>{t.modelName}</Td>
                <Td>
                  <OutcomeBadge outcome={t.outcome} />
                </Td>
                <Td>{t.correctedBy ? CORRECTED_LABEL[t.correctedBy] : "—"}</Td>
                <Td>
                  {t.toolsCalled.length > 0 ? (
                    <span className="mono">{t.toolsCalled.join(", ")}</span>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </Td>
                <Td align="right">{formatCount(t.messageCount)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
        {traces.isError && (
          <ErrorState
            title="Could not load more traces"
            error={traces.error}
            onRetry={() => void traces.fetchNextPage()}
            retrying={traces.isFetchingNextPage}
          />
        )}
        <div className="pager">
          <span className="muted" aria-live="polite">
            {formatCount(rows.length)} trace{rows.length === 1 ? "" : "s"} shown
            {traces.hasNextPage ? "" : " · that is all"}
          </span>
          {traces.hasNextPage && (
            <Button onClick={() => void traces.fetchNextPage()} loading={traces.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </div>
      </>
    );

  return (
    <div className="stack-lg">
      <TraceFilters filters={filters} onChange={setFilters} />
      {body}
    </div>
  );
}
