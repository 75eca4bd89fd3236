import type { ReactNode } from "react";
import { CardBody } from "@/components/ui/card";

/**
 * A home card with nothing in it says so in a line, not with a page-sized empty state: most
 * days most cards are empty, and the one that is not should stand out.
 */
export function QuietEmpty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <CardBody>
      <h3 className="form-section-title">{title}</h3>
      <p className="muted small">{children}</p>
    </CardBody>
  );
}
