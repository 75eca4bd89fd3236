"use client";

import { useState, type FormEvent } from "react";
import {
  putSecretBodySchema,
  RESERVED_SECRET_PREFIX,
  secretNameSchema,
} from "@/lib/schemas/secrets";
import { fieldErrors } from "@/lib/client/api";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { useDeleteSecret, usePutSecret, useSecrets } from "@/lib/client/hooks/webhooks";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LoadingState } from "@/components/ui/loading-state";
import { QueryView } from "@/components/ui/query-view";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";

/** Writes a secret's value (new, or replacing an old one); the value is never read back. */
function PutSecretDialog({ name: fixedName }: { name?: string }) {
  const put = usePutSecret();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(fixedName ?? "");
  const [value, setValue] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      put.reset();
      setErrors({});
      setValue("");
      if (!fixedName) setName("");
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const next: Record<string, string> = {};
    const n = secretNameSchema.safeParse(name.trim());
    if (!n.success) next.name = n.error.issues[0]?.message ?? "invalid name";
    else if (name.trim().startsWith(RESERVED_SECRET_PREFIX))
      next.name = `names starting with “${RESERVED_SECRET_PREFIX}” are managed by retune`;
    const v = putSecretBodySchema.safeParse({ value });
    if (!v.success) next.value = v.error.issues[0]?.message ?? "invalid value";
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    put.mutate({ name: name.trim(), value }, { onSuccess: () => onOpenChange(false) });
  }

  const server = fieldErrors(put.error);
  const all = { ...server, ...errors };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        {fixedName ? (
          <Button size="sm" variant="ghost" aria-label={`Replace value of ${fixedName}`}>
            Replace
          </Button>
        ) : (
          <Button variant="primary" size="sm">
            Add secret
          </Button>
        )}
      </DialogTrigger>
      <DialogContent
        title={fixedName ? `Replace ${fixedName}` : "Add secret"}
        description="Stored encrypted. Nobody can read it back through retune; eval endpoints reference it by name."
      >
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label="Name"
            required
            error={all.name}
            hint="Letters, digits, _ . - (e.g. OPENAI_API_KEY)."
          >
            <Input
              className="mono"
              autoComplete="off"
              autoFocus={!fixedName}
              readOnly={Boolean(fixedName)}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
          </Field>
          <Field label="Value" required error={all.value}>
            <Input
              type="password"
              autoComplete="new-password"
              autoFocus={Boolean(fixedName)}
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
            />
          </Field>
          {put.error && !server.name && !server.value && (
            <ErrorState title="Could not save the secret" error={put.error} />
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={put.isPending}>
              Save secret
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Team secrets by name; admins and owners write and delete them. */
export function SecretsPanel() {
  const active = useActiveTeam();
  const manage = active?.can("team.update") ?? false;
  const secrets = useSecrets({ enabled: active !== null });
  const remove = useDeleteSecret();
  if (!active) return <LoadingState label="Loading secrets…" rows={3} />;
  return (
    <Card>
      <CardHeader
        title="Secrets"
        description={
          manage
            ? "API keys for inference endpoints and other systems retune calls for this team."
            : `API keys retune uses for this team. Admins and owners manage them; your role is ${active.team.role}.`
        }
        actions={manage ? <PutSecretDialog /> : undefined}
      />
      <QueryView
        query={secrets}
        loading="Loading secrets…"
        rows={3}
        errorTitle="Could not load secrets"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState
            title="No secrets yet"
            description="Add an endpoint's API key here, then pick it by name when you run an eval against that endpoint."
          />
        }
      >
        {(list) => (
          <Table caption="Secrets">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Created</Th>
                <Th>Updated</Th>
                {manage && (
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                )}
              </Tr>
            </THead>
            <TBody>
              {list.map((s) => {
                const managed = s.name.startsWith(RESERVED_SECRET_PREFIX);
                return (
                  <Tr key={s.name}>
                    <Td className="mono">
                      {s.name}
                      {managed && (
                        <span className="cell-sub">managed by retune (webhook signing)</span>
                      )}
                    </Td>
                    <Td className="nowrap">
                      <TimeStamp iso={s.createdAt} />
                    </Td>
                    <Td className="nowrap">
                      <TimeStamp iso={s.updatedAt} format="relative" />
                    </Td>
                    {manage && (
                      <Td align="right" className="nowrap">
                        {!managed && (
                          <>
                            <PutSecretDialog name={s.name} />
                            <ConfirmDialog
                              trigger={
                                <Button
                                  size="sm"
                                  variant="ghost"
                                  aria-label={`Delete secret ${s.name}`}
                                >
                                  Delete
                                </Button>
                              }
                              title={`Delete ${s.name}?`}
                              description="Eval runs against endpoints that use it will fail to authenticate."
                              confirmLabel="Delete secret"
                              onConfirm={() => remove.mutateAsync(s.name)}
                            />
                          </>
                        )}
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}
