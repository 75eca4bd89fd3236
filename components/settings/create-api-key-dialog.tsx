"use client";

import { useState, type FormEvent } from "react";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/lib/domain/permissions";
import { createApiKeyBodySchema } from "@/lib/schemas/api-keys";
import { fieldErrors } from "@/lib/client/api";
import { useCreateApiKey } from "@/lib/client/hooks/use-api-keys";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
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
import { SCOPE_LABEL } from "./role-text";

type Errors = { name?: string; scopes?: string };

/** Creates a key and shows it once: the server keeps only its hash. */
export function CreateApiKeyDialog() {
  const create = useCreateApiKey();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Errors>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      // Forget the key as soon as the dialog closes.
      create.reset();
      setErrors({});
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const parsed = createApiKeyBodySchema.safeParse({
      name: form.get("name"),
      scopes: form.getAll("scopes"),
    });
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] === "scopes" ? "scopes" : "name";
        next[key] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  const server = fieldErrors(create.error);
  const nameError = errors.name ?? server.name;
  const scopesError = errors.scopes ?? server.scopes;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary" size="sm">
          Create API key
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Create API key"
        description={
          create.data
            ? undefined
            : "For CI, notebooks, the CLI and production agents. A key acts for this team with the scopes you pick."
        }
      >
        {create.data ? (
          <div className="form">
            <Notice tone="warning">
              Copy this key now. It will not be shown again: retune stores only a hash of it. If you
              lose it, revoke it and create another.
            </Notice>
            <CopyField
              label="API key"
              value={create.data.key}
              hint={`Send it as "Authorization: Bearer <key>". Scopes: ${create.data.scopes.join(", ")}.`}
            />
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="primary">Done</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <form className="form" onSubmit={submit} noValidate>
            <Field
              label="Name"
              hint="Where it will be used, e.g. “ci-nightly” or “support-agent prod”."
              error={nameError}
              required
            >
              <Input name="name" autoComplete="off" maxLength={80} autoFocus />
            </Field>
            <fieldset
              className="fieldset"
              aria-describedby={scopesError ? "scopes-error" : undefined}
            >
              <legend className="label field-label">Scopes</legend>
              {API_KEY_SCOPES.map((scope: ApiKeyScope) => (
                <Checkbox
                  key={scope}
                  name="scopes"
                  value={scope}
                  label={scope}
                  description={SCOPE_LABEL[scope]}
                  defaultChecked={scope === "read"}
                />
              ))}
              {scopesError && (
                <p id="scopes-error" className="field-error">
                  {scopesError}
                </p>
              )}
            </fieldset>
            {create.error && !server.name && !server.scopes && (
              <ErrorState title="Could not create the key" error={create.error} />
            )}
            <DialogFooter>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="primary" loading={create.isPending}>
                Create key
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
