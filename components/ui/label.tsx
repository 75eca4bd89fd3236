"use client";

import { Label as RadixLabel } from "radix-ui";
import type { ComponentPropsWithRef } from "react";
import { cx } from "./cx";

export function Label({ className, ...props }: ComponentPropsWithRef<typeof RadixLabel.Root>) {
  return <RadixLabel.Root className={cx("label", className)} {...props} />;
}
