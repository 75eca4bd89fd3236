"use client";

import type { ComponentPropsWithRef } from "react";
import { cx } from "./cx";
import { useFieldControl } from "./field-context";

/** A multi-line Input: inside a Field it takes the field's id, description and invalid state. */
export function Textarea({ className, ...props }: ComponentPropsWithRef<"textarea">) {
  const field = useFieldControl();
  return <textarea className={cx("input textarea", className)} {...field} {...props} />;
}
