import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiClientError } from "@/lib/client/api";
import { ErrorState } from "./error-state";
import { LoadingState } from "./loading-state";

type QueryViewProps<T, E> = {
  query: UseQueryResult<T, E>;
  /** Spinner label while the first load runs, e.g. "Loading members…". */
  loading: string;
  /** Skeleton rows under the spinner. */
  rows?: number;
  /** Title of a failed load's error; its "Try again" refetches. */
  errorTitle: string;
  /**
   * A 404 in the page's words, without "Try again": the thing is not there (another team's id,
   * or removed). Without it a 404 is a failed load like any other.
   */
  notFound?: { title: string; message: string };
  /** Shown above a failed load's error, e.g. breadcrumbs that keep the page's place. */
  errorLead?: ReactNode;
  /** Data that counts as nothing: `empty` is shown instead of the content. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  /** The content, once the data is there. */
  children: (data: T) => ReactNode;
};

/**
 * One React Query result drawn the same way everywhere: loading, a failed load (with "Try
 * again"), empty, or the content.
 */
export function QueryView<T, E>({
  query,
  loading,
  rows,
  errorTitle,
  notFound,
  errorLead,
  isEmpty,
  empty,
  children,
}: QueryViewProps<T, E>) {
  if (query.isPending) return <LoadingState label={loading} rows={rows} />;
  if (query.isError) {
    const missing =
      notFound !== undefined && query.error instanceof ApiClientError && query.error.status === 404;
    return (
      <>
        {errorLead}
        <ErrorState
          title={missing ? notFound.title : errorTitle}
          error={missing ? notFound.message : query.error}
          onRetry={missing ? undefined : () => void query.refetch()}
          retrying={query.isFetching}
        />
      </>
    );
  }
  if (isEmpty?.(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
