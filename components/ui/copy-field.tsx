"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "./button";

type CopyFieldProps = {
  label: string;
  value: string;
  hint?: string;
};

/** A read-only value with a Copy button; the input is labelled so tests and readers can find it. */
export function CopyField({ label, value, hint }: CopyFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2_000);
    return () => clearTimeout(t);
  }, [state]);

  async function copy() {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      // Clipboard access can be refused (permissions, insecure origin); the text stays selected
      // so Ctrl/Cmd+C still works.
      setState("failed");
    }
  }

  return (
    <div className="field copy-field">
      <label htmlFor={id} className="label field-label">
        {label}
      </label>
      <div className="copy-field-row">
        <input
          id={id}
          ref={input}
          className="input mono"
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
        {/* Named just "Copy" so that the label finds only the input (getByLabel, screen readers). */}
        <Button onClick={copy}>{state === "copied" ? "Copied" : "Copy"}</Button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <span className="sr-only" role="status" aria-live="polite">
        {state === "copied" ? `${label} copied` : state === "failed" ? "Press Ctrl+C to copy" : ""}
      </span>
    </div>
  );
}
