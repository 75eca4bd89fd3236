"use client";

import { useId, type ComponentPropsWithRef, type ReactNode } from "react";
import { cx } from "./cx";

type CheckboxProps = Omit<ComponentPropsWithRef<"input">, "type"> & {
  label: ReactNode;
  /** Linked with aria-describedby, so the accessible name stays just the label. */
  description?: ReactNode;
};

/** A native checkbox with its label and an optional description under it. */
export function Checkbox({ label, description, className, id, ...props }: CheckboxProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const descId = description ? `${inputId}-desc` : undefined;
  return (
    <div className={cx("checkbox", className)}>
      <input type="checkbox" id={inputId} aria-describedby={descId} {...props} />
      <div>
        <label htmlFor={inputId} className="checkbox-label">
          {label}
        </label>
        {description && (
          <p id={descId} className="checkbox-desc">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
