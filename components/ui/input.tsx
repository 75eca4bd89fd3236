"use client";

import type { ComponentPropsWithRef } from "react";
import { cx } from "./cx";
import { useFieldControl } from "./field-context";

/** A text input; inside a Field it takes the field's id, description and invalid state. */
export function Input({ className, ...props }: ComponentPropsWithRef<"input">) {
  const field = useFieldControl();
  return <input className={cx("input", className)} {...field} {...props} />;
}
