"use client";

import { Dialog as RadixDialog } from "radix-ui";
import type { ReactNode } from "react";
import { cx } from "./cx";

export const Dialog = RadixDialog.Root;
export const DialogTrigger = RadixDialog.Trigger;
export const DialogClose = RadixDialog.Close;

type DialogContentProps = {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
};

/**
 * A modal dialog: focus is trapped inside and returns to the trigger on close; Escape and the
 * ✕ button close it. `title` is its accessible name. Escape in an open picker (./combobox.tsx)
 * closes only the picker's list: Radix hears Escape on the document before the picker does, so
 * the dialog declines it while the key comes from an expanded combobox.
 */
export function DialogContent({ title, description, children, className }: DialogContentProps) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="dialog-overlay" />
      <RadixDialog.Content
        className={cx("dialog-content", className)}
        // Without a description Radix warns unless aria-describedby is explicitly undefined.
        {...(description ? {} : { "aria-describedby": undefined })}
        onEscapeKeyDown={(e) => {
          const from = e.target instanceof Element ? e.target : null;
          if (from?.closest('[role="combobox"][aria-expanded="true"]')) e.preventDefault();
        }}
      >
        <div className="dialog-header">
          <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
          <RadixDialog.Close className="dialog-close" aria-label="Close">
            <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
              <path d="M3 3l8 8M11 3l-8 8" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          </RadixDialog.Close>
        </div>
        {description && (
          <RadixDialog.Description className="dialog-desc">{description}</RadixDialog.Description>
        )}
        {children}
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}

export function DialogFooter({ children }: { children: ReactNode }) {
  return <div className="dialog-footer">{children}</div>;
}
