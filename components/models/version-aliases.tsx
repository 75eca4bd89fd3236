"use client";

import { type FormEvent, useState } from "react";
import type { ModelVersionDetail } from "@/lib/schemas/models";
import { useSetAliases } from "@/lib/client/hooks/aliases";
import { useModel } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canEdit } from "@/lib/client/permissions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { addAlias, holderOf, removeAlias } from "./alias-form";

/**
 * A version's aliases ("champion", "shadow"): names clients and serving resolve to one version of
 * the Model. Engineers and up add and remove them; taking an alias moves it from the version
 * that held it, as the API does in one transaction.
 */
export function VersionAliasesPanel({ version }: { version: ModelVersionDetail }) {
  const active = useActiveTeam();
  const editable = canEdit(active?.team.role);
  const save = useSetAliases(version.id);
  const model = useModel(version.modelId);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const moving = draft.trim() ? holderOf(model.data?.versions ?? [], draft, version.id) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = addAlias(version.aliases, draft);
    if (!next.ok) {
      setError(next.error);
      return;
    }
    setError(null);
    save.mutate({ aliases: next.aliases }, { onSuccess: () => setDraft("") });
  }

  return (
    <Card aria-labelledby="aliases-title">
      <CardHeader
        title={<span id="aliases-title">Aliases</span>}
        description="Names that point at one version of this Model; an alias taken here moves from the version that held it."
      />
      <CardBody>
        <div className="stack">
          {version.aliases.length > 0 ? (
            <ul
              className="inline-gap"
              style={{ listStyle: "none", margin: 0, padding: 0 }}
              aria-label="Aliases of this version"
            >
              {version.aliases.map((a) => (
                <li key={a} className="inline-gap">
                  <Badge tone="info">@{a}</Badge>
                  {editable && (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Remove alias ${a}`}
                      disabled={save.isPending}
                      onClick={() => save.mutate({ aliases: removeAlias(version.aliases, a) })}
                    >
                      Remove
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No aliases point at this version.</p>
          )}
          {editable && (
            <form className="stack" style={{ maxWidth: 360 }} onSubmit={submit} noValidate>
              <Field
                label="New alias"
                hint={
                  moving !== null
                    ? `@${draft.trim()} points at v${moving} now; adding it here moves it.`
                    : "Lower-case, e.g. champion or shadow."
                }
                error={error}
              >
                <Input
                  value={draft}
                  maxLength={40}
                  autoComplete="off"
                  onChange={(e) => {
                    setDraft(e.currentTarget.value);
                    setError(null);
                  }}
                />
              </Field>
              <div>
                <Button type="submit" loading={save.isPending}>
                  Add alias
                </Button>
              </div>
            </form>
          )}
          {save.error && <ErrorState title="Could not change the aliases" error={save.error} />}
        </div>
      </CardBody>
    </Card>
  );
}
