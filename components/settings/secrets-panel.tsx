"use client";

import { useState, type FormEvent } from "react";
import {
  putSecretBodySchema,
  RESERVED_SECRET_PREFIX,
  type Secret,
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
import { Textarea } from "@/components/ui/textarea";
import { TimeStamp } from "@/components/ui/time-stamp";

/** One origin per line (or comma-separated), blanks dropped. */
const originLines = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);

/**
 * Writes a secret: a new one, or a new value and/or allowed origins for an existing one (the
 * value is never read back; left empty when editing, it stays).
 */
function PutSecretDialog({ secret }: { secret?: Secret }) {
  const fixedName = secret?.name;
  const put = usePutSecret();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(fixedName ?? "");
  const [value, setValue] = useState("");
  const initialOrigins = (secret?.allowedOrigins ?? []).join("\n");
  const [origins, setOrigins] = useState(initialOrigins);
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      put.reset();
      setErrors({});
      setValue("");
      setOrigins(initialOrigins);
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
    const body = {
      ...(value || !fixedName ? { value } : {}),
      allowedOrigins: originLines(origins),
    };
    const v = putSecretBodySchema.safeParse(body);
    for (const issue of v.error?.issues ?? []) {
      const key = issue.path[0] === "allowedOrigins" ? "allowedOrigins" : "value";
      next[key] ??= issue.message;
    }
    setErrors(next);
    if (Object.keys(next).length > 0 || !v.success) return;
    put.mutate({ name: name.trim(), ...v.data }, { onSuccess: () => onOpenChange(false) });
  }

  const server = fieldErrors(put.error);
  const serverOrigins = Object.entries(server).find(([k]) => k.startsWith("allowedOrigins"))?.[1];
  const all: Record<string, string | undefined> = {
    ...server,
    ...(serverOrigins ? { allowedOrigins: serverOrigins } : {}),
    ...errors,
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        {fixedName ? (
          <Button size="sm" variant="ghost" aria-label={`Edit secret ${fixedName}`}>
            Edit
          </Button>
        ) : (
          <Button variant="primary" size="sm">
            Add secret
          </Button>
        )}
      </DialogTrigger>
      <DialogContent
        title={fixedName ? `Edit ${fixedName}` : "Add secret"}
        description="Stored encrypted. Nobody can read it back through retune; eval endpoints reference it by name, and it is sent only to the origins listed here."
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
          <Field
            label="Value"
            required={!fixedName}
            error={all.value}
            hint={fixedName ? "Leave empty to keep the current value." : undefined}
          >
            <Input
              type="password"
              autoComplete="new-password"
              autoFocus={Boolean(fixedName)}
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
            />
          </Field>
          <Field
            label="Allowed origins"
            error={all.allowedOrigins}
            hint="One per line, scheme://host[:port] (e.g. https://api.openai.com). An eval endpoint gets this key only at these origins; with none, it is sent nowhere."
          >
            <Textarea
              className="mono"
              rows={3}
              placeholder="https://api.openai.com"
              value={origins}
              onChange={(e) => setOrigins(e.currentTarget.value)}
            />
          </Field>
          {put.error && !server.name && !server.value && !serverOrigins && (
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
                <Th>Sent to</Th>
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
                    <Td>
                      {managed ? (
                        <span className="cell-sub">its webhook only</span>
                      ) : s.allowedOrigins.length > 0 ? (
                        s.allowedOrigins.map((o) => (
                          <span key={o} className="mono cell-sub">
                            {o}
                          </span>
                        ))
                      ) : (
                        <span className="cell-sub">nowhere yet: add an allowed origin</span>
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
                            <PutSecretDialog secret={s} />
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
