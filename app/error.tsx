"use client";

import { useEffect } from "react";
import { CenteredFrame } from "@/components/shell/centered-frame";
import { ErrorState } from "@/components/ui/error-state";

/**
 * Errors outside a console page, including the console layout's own session and team lookup
 * (which fails when the database is down).
 */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = (error as { digest?: string } | null)?.digest;
  return (
    <CenteredFrame>
      <h1 className="panel-title">Something went wrong</h1>
      <ErrorState title="retune could not render this page" error={error} onRetry={retry}>
        {digest && <p className="muted mono">Reference: {digest}</p>}
      </ErrorState>
      <p className="panel-footer">
        Service health (database, Redis, workers) is at <a href="/api/v1/health">/api/v1/health</a>.
      </p>
    </CenteredFrame>
  );
}
