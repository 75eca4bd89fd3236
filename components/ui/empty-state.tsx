import type { ReactNode } from "react";

type EmptyStateProps = {
  title: string;
  description?: ReactNode;
  /** Real actions only: a button here must do something. */
  children?: ReactNode;
};

export function EmptyState({ title, description, children }: EmptyStateProps) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2 className="empty-state-title">{title}</h2>
      {description && <div className="empty-state-desc">{description}</div>}
      {children && <div className="empty-state-actions">{children}</div>}
    </section>
  );
}
