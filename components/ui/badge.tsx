import type { ComponentPropsWithRef } from "react";
import { cx } from "./cx";

export type BadgeTone = "neutral" | "success" | "warning" | "danger" | "info";

export function Badge({
  tone = "neutral",
  className,
  ...props
}: ComponentPropsWithRef<"span"> & { tone?: BadgeTone }) {
  return <span className={cx("badge", `badge-${tone}`, className)} {...props} />;
}
