"use client";

import { useEffect } from "react";
import { ErrorState } from "@/components/ui/error-state";

/**
 * Catches what a console page throws while rendering. In production a server error's message is
 * replaced by Next.js; the digest matches the server log line.
 */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = (error as { digest?: string } | null)?.digest;
  return (
    <ErrorState title="This page failed to load" error={error} onRetry={retry}>
      {digest && <p className="muted mono">Reference: {digest}</p>}
    </ErrorState>
  );
}
