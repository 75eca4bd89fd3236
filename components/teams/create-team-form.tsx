"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { fieldErrors } from "@/lib/client/api";
import { useCreateTeam } from "@/lib/client/hooks/use-teams";
import { teamNameSchema, type Team } from "@/lib/schemas/teams";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type CreateTeamFormProps = {
  /** Called once the team exists and is the active team. */
  onCreated: (team: Team) => void;
  /** Extra buttons next to submit (e.g. Cancel in a dialog). */
  secondary?: ReactNode;
};

/** Names a new team; the creator becomes its OWNER and it becomes the active team. */
export function CreateTeamForm({ onCreated, secondary }: CreateTeamFormProps) {
  const create = useCreateTeam();
  const [nameError, setNameError] = useState<string | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    const parsed = teamNameSchema.safeParse(name);
    if (!parsed.success) {
      setNameError(`Team name: ${parsed.error.issues[0]?.message ?? "invalid"}`);
      return;
    }
    setNameError(null);
    create.mutate({ name: parsed.data }, { onSuccess: onCreated });
  }

  const serverFieldError = fieldErrors(create.error).name;
  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field
        label="Team name"
        hint="Usually your company or group, e.g. “Support agents”. You can invite others next."
        error={nameError ?? serverFieldError}
        required
      >
        <Input name="name" autoComplete="organization" maxLength={60} autoFocus />
      </Field>
      {create.error && !serverFieldError && (
        <ErrorState title="Could not create the team" error={create.error} />
      )}
      <div className="form-actions">
        {secondary}
        <Button type="submit" variant="primary" loading={create.isPending}>
          Create team
        </Button>
      </div>
    </form>
  );
}
