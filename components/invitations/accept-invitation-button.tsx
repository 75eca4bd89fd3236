"use client";

import { useRouter } from "next/navigation";
import { useAcceptInvitation } from "@/lib/client/hooks/use-invitations";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";

/** Joins the team, makes it the active team, and opens the console. */
export function AcceptInvitationButton({ token, teamName }: { token: string; teamName: string }) {
  const router = useRouter();
  const accept = useAcceptInvitation();
  return (
    <div className="form">
      {accept.error && <ErrorState title="Could not accept the invitation" error={accept.error} />}
      <Button
        variant="primary"
        className="btn-block"
        loading={accept.isPending || accept.isSuccess}
        onClick={() =>
          accept.mutate(token, {
            onSuccess: () => {
              router.push("/");
              router.refresh();
            },
          })
        }
      >
        Accept and join {teamName}
      </Button>
    </div>
  );
}
