import { Spinner } from "./spinner";

type LoadingStateProps = {
  /** Read by screen readers and shown next to the spinner, e.g. "Loading members…". */
  label?: string;
  /** Skeleton rows under the label, to keep the layout from jumping when data arrives. */
  rows?: number;
};

export function LoadingState({ label = "Loading…", rows = 0 }: LoadingStateProps) {
  return (
    <div className="loading-state" role="status" aria-live="polite">
      <div className="loading-state-label">
        <Spinner />
        <span>{label}</span>
      </div>
      {rows > 0 && (
        <div className="skeleton-rows" aria-hidden="true">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="skeleton" />
          ))}
        </div>
      )}
    </div>
  );
}
