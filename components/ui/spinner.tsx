import { cx } from "./cx";

/** Decorative; pair it with text or a role="status" container that says what is loading. */
export function Spinner({ className }: { className?: string }) {
  return <span className={cx("spinner", className)} aria-hidden="true" />;
}
