"use client";

import { useState, type FormEvent } from "react";
import type { Monitor } from "@/lib/schemas/monitors";
import { fieldErrors } from "@/lib/client/api";
import { useUpdateMonitor } from "@/lib/client/hooks/monitors";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { MonitorFields } from "./monitor-fields";
import {
  formToUpdateBody,
  MONITOR_FIELD_KEYS,
  monitorToForm,
  needsErrorBanner,
  type MonitorFormState,
} from "./monitor-form";

/**
 * The monitor's settings as an editable form (read-only for viewers). Saving sends them with
 * PATCH; new settings apply from the next check, and past checks keep what they measured.
 */
export function MonitorSettings({ monitor, editable }: { monitor: Monitor; editable: boolean }) {
  const update = useUpdateMonitor(monitor.id);
  const [form, setForm] = useState<MonitorFormState>(() => monitorToForm(monitor));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const dirty = JSON.stringify(form) !== JSON.stringify(monitorToForm(monitor));

  function onChange(next: MonitorFormState) {
    setForm(next);
    setSaved(false);
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const result = formToUpdateBody(form);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    update.mutate(result.body, {
      // The server fills what was left blank (the interval), so the form takes its answer.
      onSuccess: (updated) => {
        setForm(monitorToForm(updated));
        setSaved(true);
      },
    });
  }

  const server = fieldErrors(update.error);
  return (
    <Card aria-labelledby="monitor-settings-title">
      <CardHeader
        title={<span id="monitor-settings-title">Settings</span>}
        description="Changes apply from the next check; past checks keep what they measured."
      />
      <CardBody>
        <form className="form" onSubmit={submit} noValidate aria-label="Monitor settings">
          <MonitorFields
            value={form}
            onChange={onChange}
            errors={{ ...server, ...errors }}
            metricEditable={false}
            disabled={!editable || update.isPending}
          />
          {update.error && needsErrorBanner(server, MONITOR_FIELD_KEYS) && (
            <ErrorState title="Could not save the settings" error={update.error} />
          )}
          {editable && (
            <div className="inline-gap">
              <Button type="submit" variant="primary" loading={update.isPending} disabled={!dirty}>
                Save settings
              </Button>
              {dirty && (
                <Button
                  onClick={() => {
                    setForm(monitorToForm(monitor));
                    setErrors({});
                    update.reset();
                  }}
                  disabled={update.isPending}
                >
                  Discard changes
                </Button>
              )}
              <span className="muted" role="status">
                {saved && !dirty ? "Saved." : ""}
              </span>
            </div>
          )}
        </form>
      </CardBody>
    </Card>
  );
}
