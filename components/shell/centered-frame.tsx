import type { ReactNode } from "react";
import { Brand } from "./brand";

/** The frame of the pages outside the console: sign-in, sign-up, invitations, onboarding. */
export function CenteredFrame({ children }: { children: ReactNode }) {
  return (
    <div className="centered-frame">
      <div className="centered-frame-brand">
        <Brand asLink={false} />
      </div>
      <main className="centered-frame-panel">{children}</main>
    </div>
  );
}
