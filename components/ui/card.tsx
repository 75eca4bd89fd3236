import type { ComponentPropsWithRef, ReactNode } from "react";
import { cx } from "./cx";

export function Card({ className, ...props }: ComponentPropsWithRef<"section">) {
  return <section className={cx("card", className)} {...props} />;
}

type CardHeaderProps = {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Heading level for the title; cards inside a page are h2 by default. */
  level?: 2 | 3;
};

export function CardHeader({ title, description, actions, level = 2 }: CardHeaderProps) {
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <header className="card-header">
      <div>
        <Heading className="card-title">{title}</Heading>
        {description && <p className="card-desc">{description}</p>}
      </div>
      {actions && <div className="card-actions">{actions}</div>}
    </header>
  );
}

export function CardBody({ className, ...props }: ComponentPropsWithRef<"div">) {
  return <div className={cx("card-body", className)} {...props} />;
}
