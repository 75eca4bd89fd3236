"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/client/auth-client";
import { Button, type ButtonProps } from "@/components/ui/button";

type SignOutButtonProps = Omit<ButtonProps, "onClick"> & {
  /** Where to go after signing out; the current page re-renders when omitted. */
  redirectTo?: string;
};

export function SignOutButton({ redirectTo, children = "Sign out", ...props }: SignOutButtonProps) {
  const router = useRouter();
  const qc = useQueryClient();
  const [pending, setPending] = useState(false);

  async function signOut() {
    setPending(true);
    try {
      await authClient.signOut();
    } finally {
      qc.clear();
      if (redirectTo) router.replace(redirectTo);
      router.refresh();
      setPending(false);
    }
  }

  return (
    <Button {...props} loading={pending} onClick={() => void signOut()}>
      {children}
    </Button>
  );
}
