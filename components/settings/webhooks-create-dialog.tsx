"use client";

import { useState, type FormEvent } from "react";
import { NOTIFICATION_KINDS } from "@/lib/domain/notifications";
import { createWebhookBodySchema, type WebhookEvent } from "@/lib/schemas/webhooks";
import { fieldErrors } from "@/lib/client/api";
import { useCreateWebhook } from "@/lib/client/hooks/webhooks";
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

export const EVENT_LABEL: Record<WebhookEvent, string> = {
  "*": "All events",
  awaiting_approval: "A version awaits approval",
  gate_passed: "A gate passed",
  gate_failed: "A gate failed",
  promoted: "A version was promoted",
  rolled_back: "Production was rolled back",
  drift_breach: "Drift crossed a threshold",
  training_succeeded: "Training succeeded",
  training_failed: "Training failed",
  retrain_started: "A re-tune started",
  retrain_skipped: "A scheduled or drift re-tune was skipped (budget, too little new data)",
};

/** Creates a webhook and shows its signing secret once: it is stored encrypted, never shown again. */
export function CreateWebhookDialog() {
  const create = useCreateWebhook();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(["*"]);
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      // Forget the secret as soon as the dialog closes.
      create.reset();
      setErrors({});
      setUrl("");
      setEvents(["*"]);
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = createWebhookBodySchema.safeParse({ url: url.trim(), events });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  const toggle = (ev: WebhookEvent, on: boolean) =>
    setEvents((cur) => {
      if (ev === "*") return on ? ["*"] : [];
      const rest = cur.filter((x) => x !== "*" && x !== ev);
      return on ? [...rest, ev] : rest;
    });

  const server = fieldErrors(create.error);
  const all = { ...server, ...errors };
  const everything = events.includes("*");
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary" size="sm">
          Add webhook
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Add webhook"
        description={
          create.data
            ? undefined
            : "retune POSTs Slack-compatible JSON to this URL, signed with HMAC-SHA256 (X-Retune-Signature)."
        }
      >
        {create.data ? (
          <div className="form">
            <Notice tone="warning">
              Copy the signing secret now. It will not be shown again: retune stores it encrypted.
              Receivers verify each delivery’s signature with it.
            </Notice>
            <CopyField label="Signing secret" value={create.data.secret} hint={create.data.url} />
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="primary">Done</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <form className="form" onSubmit={submit} noValidate>
            <Field label="URL" required error={all.url} hint="e.g. a Slack incoming-webhook URL.">
              <Input
                type="url"
                autoFocus
                autoComplete="off"
                className="mono"
                value={url}
                onChange={(e) => setUrl(e.currentTarget.value)}
              />
            </Field>
            <fieldset className="fieldset">
              <legend className="label field-label">Events</legend>
              <Checkbox
                label={EVENT_LABEL["*"]}
                description="Including kinds added later."
                checked={everything}
                onChange={(e) => toggle("*", e.currentTarget.checked)}
              />
              {NOTIFICATION_KINDS.map((k) => (
                <Checkbox
                  key={k}
                  label={EVENT_LABEL[k]}
                  description={k}
                  checked={everything || events.includes(k)}
                  disabled={everything}
                  onChange={(e) => toggle(k, e.currentTarget.checked)}
                />
              ))}
              {all.events && <p className="field-error">{all.events}</p>}
            </fieldset>
            {create.error && !server.url && !server.events && (
              <ErrorState title="Could not add the webhook" error={create.error} />
            )}
            <DialogFooter>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="primary" loading={create.isPending}>
                Create webhook
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
