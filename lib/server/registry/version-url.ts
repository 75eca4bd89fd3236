import { env } from "@/lib/server/core/env";

/** The console address of a version, for webhooks and notifications. */
export function versionUrl(versionId: string): string {
  return new URL(`/model-versions/${versionId}`, env().APP_URL).toString();
}
