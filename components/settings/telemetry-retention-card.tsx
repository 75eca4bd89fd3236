"use client";

import { useState, type FormEvent } from "react";
import { TELEMETRY_RETENTION_DAYS, telemetryRetentionDaysSchema } from "@/lib/schemas/teams";
import { fieldErrors } from "@/lib/client/api";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { useTeamSettings, useUpdateTeamSettings } from "@/lib/client/hooks/use-team-settings";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { QueryView } from "@/components/ui/query-view";

/** How long raw telemetry and traces are kept; ADMINs change it, everyone else reads it. */
export function TelemetryRetentionCard() {
  const settings = useTeamSettings();
  const update = useUpdateTeamSettings();
  const manage = useActiveTeam()?.can("team.update") ?? false;
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent<HTMLFormElement>, current: number) {
    e.preventDefault();
    const parsed = telemetryRetentionDaysSchema.safeParse(Number(draft ?? current));
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "invalid number of days");
      return;
    }
    setError(null);
    update.mutate({ telemetryRetentionDays: parsed.data }, { onSuccess: () => setDraft(null) });
  }

  return (
    <Card>
      <CardHeader
        title="Telemetry retention"
        description="Raw telemetry events and traces older than this are deleted; the per-minute rollups that monitors and summaries read are kept longer."
      />
      <CardBody>
        <QueryView
          query={settings}
          loading="Loading settings…"
          errorTitle="Could not load settings"
        >
          {(team) => {
            const { telemetryRetentionDays: days, rollupRetentionDays } = team.settings;
            return (
              <form className="stack" onSubmit={(e) => submit(e, days)}>
                <Field
                  label="Keep raw events and traces for (days)"
                  hint={`${TELEMETRY_RETENTION_DAYS.min}–${TELEMETRY_RETENTION_DAYS.max} days; rollups are kept ${rollupRetentionDays} days.`}
                  error={error ?? fieldErrors(update.error).telemetryRetentionDays ?? null}
                >
                  <Input
                    type="number"
                    min={TELEMETRY_RETENTION_DAYS.min}
                    max={TELEMETRY_RETENTION_DAYS.max}
                    value={draft ?? String(days)}
                    disabled={!manage}
                    onChange={(e) => setDraft(e.target.value)}
                  />
                </Field>
                {manage ? (
                  <div>
                    <Button
                      type="submit"
                      variant="primary"
                      size="sm"
                      loading={update.isPending}
                      disabled={draft === null || Number(draft) === days}
                    >
                      Save retention
                    </Button>
                  </div>
                ) : (
                  <p className="muted">Only admins and owners change it.</p>
                )}
                {update.isError && !fieldErrors(update.error).telemetryRetentionDays && (
                  <ErrorState title="Could not save the retention" error={update.error} />
                )}
              </form>
            );
          }}
        </QueryView>
      </CardBody>
    </Card>
  );
}
