import type { ComponentPropsWithRef } from "react";
import type { BadgeTone } from "@/lib/client/badge-tone";
import { cx } from "./cx";

export function Badge({
  tone = "neutral",
  className,
  ...props
}: ComponentPropsWithRef<"span"> & { tone?: BadgeTone }) {
  return <span className={cx("badge", `badge-${tone}`, className)} {...props} />;
}
