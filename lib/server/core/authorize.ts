import { ACTIONS, type Action, can, type Principal } from "@/lib/domain/permissions";
import { forbidden } from "./errors";

/** Throws 403 naming what was refused and what it needs. */
export function authorize(p: Principal, action: Action): void {
  if (can(p.actor, action)) return;
  const rule = ACTIONS[action];
  if (p.actor.kind === "user") {
    throw forbidden(`${action} needs role ${rule.minRole} or higher; you are ${p.actor.role}`);
  }
  throw forbidden(
    "scope" in rule
      ? `${action} needs an API key with the "${rule.scope}" scope`
      : `${action} is only available to signed-in members, not API keys`,
  );
}
