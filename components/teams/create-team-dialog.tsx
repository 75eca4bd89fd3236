"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { CreateTeamForm } from "./create-team-form";

type CreateTeamDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
};

/** Opened from the team switcher; the new team becomes the active one. */
export function CreateTeamDialog({ open, onOpenChange }: CreateTeamDialogProps) {
  const router = useRouter();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Create team"
        description="A separate workspace with its own datasets, models, members and API keys. You will be its owner."
      >
        {/* Remount on every open so a previous attempt's input and errors are gone. */}
        {open && (
          <CreateTeamForm
            onCreated={() => {
              onOpenChange(false);
              router.push("/");
              router.refresh();
            }}
            secondary={
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
            }
          />
        )}
      </DialogContent>
    </Dialog>
  );
}
