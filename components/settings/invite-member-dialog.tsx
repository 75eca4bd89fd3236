"use client";

import { useState, type FormEvent } from "react";
import { z } from "zod";
import { assignableRoles, type Role } from "@/lib/domain/permissions";
import { fieldErrors } from "@/lib/client/api";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { useCreateInvitation } from "@/lib/client/hooks/use-invitations";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { Select } from "@/components/ui/select";
import { TimeStamp } from "@/components/ui/time-stamp";
import { ROLE_SUMMARY } from "./role-text";

const emailSchema = z.email("enter an email address like teammate@company.com");

/**
 * retune sends no email: the dialog shows the invitation link once (only its hash is stored)
 * for the inviter to pass on.
 */
export function InviteMemberDialog() {
  const active = useActiveTeam();
  const create = useCreateInvitation();
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<Role>("VIEWER");
  const [emailError, setEmailError] = useState<string | null>(null);
  if (!active) return null;
  const roles = assignableRoles(active.team.role);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      // The link must not be shown again after the dialog closes.
      create.reset();
      setEmailError(null);
      setRole("VIEWER");
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = emailSchema.safeParse(
      String(new FormData(e.currentTarget).get("email") ?? "").trim(),
    );
    if (!parsed.success) {
      setEmailError(parsed.error.issues[0]?.message ?? "invalid email");
      return;
    }
    setEmailError(null);
    create.mutate({ email: parsed.data.toLowerCase(), role });
  }

  const serverErrors = fieldErrors(create.error);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary" size="sm">
          Invite member
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Invite member"
        description={
          create.data
            ? undefined
            : `Creates a link that lets one person join ${active.team.name}. It expires after 7 days.`
        }
      >
        {create.data ? (
          <div className="form">
            <Notice tone="warning">
              Send this link to <strong>{create.data.email}</strong>. It is shown only once and
              expires <TimeStamp iso={create.data.expiresAt} />. They join as{" "}
              <strong>{create.data.role}</strong> after signing in with that address.
            </Notice>
            <CopyField label="Invite link" value={create.data.url} />
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="primary">Done</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <form className="form" onSubmit={submit} noValidate>
            <Field label="Email" error={emailError ?? serverErrors.email} required>
              <Input name="email" type="email" autoComplete="off" autoFocus />
            </Field>
            <Field label="Role" hint={ROLE_SUMMARY[role]} error={serverErrors.role}>
              <Select
                name="role"
                value={role}
                onChange={(e) => setRole(e.target.value as Role)}
                options={roles.map((r) => ({ value: r, label: r }))}
              />
            </Field>
            {create.error && !serverErrors.email && !serverErrors.role && (
              <ErrorState title="Could not create the invitation" error={create.error} />
            )}
            <DialogFooter>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="primary" loading={create.isPending}>
                Create invite link
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
