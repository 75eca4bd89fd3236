"use client";

import type { ComponentPropsWithRef } from "react";
import { cx } from "./cx";
import { useFieldControl } from "./field-context";

export type SelectOption = { value: string; label: string; disabled?: boolean };

type SelectProps = Omit<ComponentPropsWithRef<"select">, "children"> & {
  options: readonly SelectOption[];
};

/**
 * A native select: keyboard, screen-reader and mobile behaviour come for free, which matters
 * more in dense tables than a custom popover would.
 */
export function Select({ options, className, ...props }: SelectProps) {
  const field = useFieldControl();
  return (
    <select className={cx("select", className)} {...field} {...props}>
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
