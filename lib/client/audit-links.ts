import type { AuditEvent } from "@/lib/schemas/audit";
import {
  evalRunHref,
  jobHref,
  modelHref,
  modelVersionHref,
  monitorHref,
  retrainingHref,
} from "./hrefs";

type Target = Pick<AuditEvent, "targetType" | "targetId" | "targetLabel" | "targetParentId">;

const enc = encodeURIComponent;

/** Targets whose page is a settings list rather than a page of their own. */
const SETTINGS_PAGE: Record<string, string> = {
  member: "/settings/members",
  invitation: "/settings/members",
  "api-key": "/settings/api-keys",
  webhook: "/settings/webhooks",
  secret: "/settings/secrets",
  "price-list": "/settings/prices",
  team: "/settings",
  "eval-suite": "/evals",
};

/**
 * Where an audit event's target lives in the console, or null: a target that no longer exists
 * (the server found no name for it), or a kind with no page (a person's sign-in).
 */
export function auditTargetHref(e: Target): string | null {
  if (!e.targetType || !e.targetId || e.targetLabel === null) return null;
  const id = e.targetId;
  switch (e.targetType) {
    case "model":
      return modelHref(id);
    case "model-version":
      return modelVersionHref(id);
    case "dataset":
      return `/datasets/${enc(id)}`;
    case "dataset-version":
      return e.targetParentId ? `/datasets/${enc(e.targetParentId)}/versions/${enc(id)}` : null;
    case "training-job":
      return jobHref(id);
    case "eval-run":
      return evalRunHref(id);
    case "monitor":
      return monitorHref(id);
    case "retrain":
      return e.targetParentId ? retrainingHref(e.targetParentId) : null;
    default:
      return SETTINGS_PAGE[e.targetType] ?? null;
  }
}
