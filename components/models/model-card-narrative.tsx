"use client";

import { useState } from "react";
import type { ModelCard } from "@/lib/schemas/model-cards";
import { useUpdateModelCard, type NarrativeBody } from "@/lib/client/hooks/models";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

type NarrativeKey = keyof ModelCard["narrative"];

const NARRATIVE: { key: NarrativeKey; label: string; empty: string; multiline: boolean }[] = [
  {
    key: "intendedUse",
    label: "Intended use",
    empty: "Not written yet: what this component does in the agent, and for whom.",
    multiline: true,
  },
  {
    key: "limitations",
    label: "Limitations",
    empty: "Not written yet: where it is known to fail, and what it must not be used for.",
    multiline: true,
  },
  { key: "owner", label: "Owner", empty: "No owner named.", multiline: false },
];

/** One narrative field: read as text; engineers and up edit it in place. */
function NarrativeField({
  versionId,
  field,
  value,
  editable,
}: {
  versionId: string;
  field: (typeof NARRATIVE)[number];
  value: string;
  editable: boolean;
}) {
  const update = useUpdateModelCard(versionId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const lower = field.label.toLowerCase();
  if (editing)
    return (
      <div className="stack narrative-edit">
        <Field label={field.label}>
          {field.multiline ? (
            <Textarea
              rows={5}
              maxLength={20_000}
              value={draft}
              autoFocus
              onChange={(e) => setDraft(e.currentTarget.value)}
            />
          ) : (
            <Input
              maxLength={200}
              value={draft}
              autoFocus
              onChange={(e) => setDraft(e.currentTarget.value)}
            />
          )}
        </Field>
        {update.error && <ErrorState title={`Could not save ${lower}`} error={update.error} />}
        <div className="inline-gap">
          <Button
            variant="primary"
            size="sm"
            loading={update.isPending}
            onClick={() =>
              update.mutate({ [field.key]: draft } as NarrativeBody, {
                onSuccess: () => setEditing(false),
              })
            }
          >
            Save {lower}
          </Button>
          <Button size="sm" disabled={update.isPending} onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      </div>
    );
  return (
    <div className="narrative-field">
      <div className="narrative-head">
        <h3 className="narrative-title">{field.label}</h3>
        {editable && (
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Edit ${lower}`}
            onClick={() => {
              update.reset();
              setDraft(value);
              setEditing(true);
            }}
          >
            Edit
          </Button>
        )}
      </div>
      {value.trim() ? (
        <p className="narrative-text">{value}</p>
      ) : (
        <p className="muted">{field.empty}</p>
      )}
    </div>
  );
}

/** The card's written part: intended use, limitations and owner, each edited in place. */
export function NarrativeCard({ card, editable }: { card: ModelCard; editable: boolean }) {
  const v = card.version;
  return (
    <Card aria-labelledby="card-narrative-title">
      <CardHeader
        title={<span id="card-narrative-title">Use and ownership</span>}
        description="Written by the team; everything else on this card comes from data."
      />
      <CardBody>
        <div className="stack-lg">
          {NARRATIVE.map((f) => (
            <NarrativeField
              key={f.key}
              versionId={v.id}
              field={f}
              value={card.narrative[f.key]}
              editable={editable}
            />
          ))}
        </div>
      </CardBody>
    </Card>
  );
}
