"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createDatasetBodySchema } from "@/lib/schemas/datasets";
import { fieldErrors } from "@/lib/client/api";
import { useCreateDataset } from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { Button } from "@/components/ui/button";
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
import { Textarea } from "@/components/ui/textarea";

type Errors = { name?: string; description?: string };

/** "New dataset": a name and an optional description; opens the new dataset to upload into. */
export function CreateDatasetDialog({ size = "sm" }: { size?: "sm" | "md" }) {
  const active = useActiveTeam();
  const router = useRouter();
  const create = useCreateDataset();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  if (!active?.can("resource.write")) return null;

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      create.reset();
      setErrors({});
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const description = String(form.get("description") ?? "").trim();
    const parsed = createDatasetBodySchema.safeParse({
      name: form.get("name") ?? "",
      description: description || undefined,
    });
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] === "description" ? "description" : "name";
        next[key] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: (dataset) => {
        setOpen(false);
        router.push(`/datasets/${encodeURIComponent(dataset.id)}`);
      },
    });
  }

  const server = fieldErrors(create.error);
  // A duplicate name is a 409 without issues: show it on the name field, where it belongs.
  const conflict =
    create.error && (create.error as { status?: number }).status === 409
      ? create.error.message
      : undefined;
  const nameError = errors.name ?? server.name ?? conflict;
  const descriptionError = errors.description ?? server.description;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary" size={size}>
          New dataset
        </Button>
      </DialogTrigger>
      <DialogContent
        title="New dataset"
        description="A named home for versions of one kind of data, e.g. the tool calls of one agent component. Upload files into it next."
      >
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label="Name"
            hint="Letters, digits, spaces and _ . : / - — e.g. “support-agent/tool-calls”."
            error={nameError}
            required
          >
            <Input name="name" autoComplete="off" maxLength={100} autoFocus />
          </Field>
          <Field label="Description" error={descriptionError}>
            <Textarea
              name="description"
              rows={3}
              maxLength={2000}
              placeholder="Where the rows come from and what they teach"
            />
          </Field>
          {create.error && !nameError && !descriptionError && (
            <ErrorState title="Could not create the dataset" error={create.error} />
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={create.isPending}>
              Create dataset
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
