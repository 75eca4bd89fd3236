import type { ReactNode } from "react";
import { CenteredFrame } from "@/components/shell/centered-frame";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <CenteredFrame>{children}</CenteredFrame>;
}
