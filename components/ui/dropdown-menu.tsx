"use client";

import { DropdownMenu as Menu } from "radix-ui";
import type { ComponentPropsWithRef } from "react";
import { cx } from "./cx";

export const DropdownMenu = Menu.Root;
export const DropdownMenuTrigger = Menu.Trigger;
export const DropdownMenuGroup = Menu.Group;
export const DropdownMenuRadioGroup = Menu.RadioGroup;

export function DropdownMenuContent({
  className,
  sideOffset = 4,
  align = "start",
  ...props
}: ComponentPropsWithRef<typeof Menu.Content>) {
  return (
    <Menu.Portal>
      <Menu.Content
        className={cx("menu-content", className)}
        sideOffset={sideOffset}
        align={align}
        {...props}
      />
    </Menu.Portal>
  );
}

export function DropdownMenuItem({ className, ...props }: ComponentPropsWithRef<typeof Menu.Item>) {
  return <Menu.Item className={cx("menu-item", className)} {...props} />;
}

export function DropdownMenuRadioItem({
  className,
  children,
  ...props
}: ComponentPropsWithRef<typeof Menu.RadioItem>) {
  return (
    <Menu.RadioItem className={cx("menu-item menu-item-radio", className)} {...props}>
      <span className="menu-item-indicator" aria-hidden="true">
        <Menu.ItemIndicator>✓</Menu.ItemIndicator>
      </span>
      {children}
    </Menu.RadioItem>
  );
}

export function DropdownMenuLabel({
  className,
  ...props
}: ComponentPropsWithRef<typeof Menu.Label>) {
  return <Menu.Label className={cx("menu-label", className)} {...props} />;
}

export function DropdownMenuSeparator() {
  return <Menu.Separator className="menu-separator" />;
}
