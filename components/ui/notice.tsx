import type { ReactNode } from "react";
import { cx } from "./cx";

type NoticeProps = {
  tone?: "info" | "warning";
  children: ReactNode;
};

/** A static callout (not an alert: it is part of the page, not news). */
export function Notice({ tone = "info", children }: NoticeProps) {
  return <div className={cx("notice", `notice-${tone}`)}>{children}</div>;
}
