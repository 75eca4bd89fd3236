"use client";

import { useId, type ReactNode } from "react";
import { cx } from "./cx";
import { FieldContext, type FieldControlProps } from "./field-context";
import { Label } from "./label";

type FieldProps = {
  label: ReactNode;
  /** Shown under the control and linked to it with aria-describedby. */
  hint?: ReactNode;
  /** Replaces nothing: shown under the hint, marks the control aria-invalid. */
  error?: string | null;
  required?: boolean;
  className?: string;
  /** One Input, Select or Textarea; it picks up id and aria-* from the field. */
  children: ReactNode;
};

/** A label, a control, an optional hint and an inline error, wired together for screen readers. */
export function Field({ label, hint, error, required, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const control: FieldControlProps = {
    id,
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
    ...(error ? { "aria-invalid": true as const } : {}),
    ...(required ? { "aria-required": true as const } : {}),
  };
  return (
    <div className={cx("field", className)}>
      <Label htmlFor={id} className="field-label">
        {label}
        {required && (
          <span className="field-required" aria-hidden="true">
            {" "}
            *
          </span>
        )}
      </Label>
      <FieldContext.Provider value={control}>{children}</FieldContext.Provider>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
