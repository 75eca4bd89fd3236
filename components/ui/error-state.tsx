import type { ReactNode } from "react";
import { Button } from "./button";

type ErrorStateProps = {
  title?: string;
  /** Whatever was thrown; its message (the API's message for ApiClientError) is shown. */
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
  children?: ReactNode;
};

function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === "string" && error) return error;
  return "Something went wrong.";
}

export function ErrorState({
  title = "Could not load this",
  error,
  onRetry,
  retrying,
  children,
}: ErrorStateProps) {
  return (
    <div className="error-state" role="alert">
      <p className="error-state-title">{title}</p>
      <p className="error-state-message">{messageOf(error)}</p>
      {children}
      {onRetry && (
        <div>
          <Button size="sm" onClick={onRetry} loading={retrying}>
            Try again
          </Button>
        </div>
      )}
    </div>
  );
}
