/**
 * Webhook payloads for model lifecycle events. The body is a Slack incoming-webhook message
 * (`text` is the fallback Slack shows in notifications, `blocks` the rich layout) so a Slack URL
 * works as is; the machine-readable event rides along under `retune` for any other receiver.
 * Pure: lib/server signs and sends it.
 */

export const NOTIFICATION_KINDS = [
  "awaiting_approval",
  "gate_passed",
  "gate_failed",
  "promoted",
  "rolled_back",
  "drift_breach",
  "training_succeeded",
  "training_failed",
  "retrain_started",
  "retrain_skipped",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type NotificationEvent = {
  kind: NotificationKind;
  model: string;
  version: number;
  stage?: string;
  /** Gate failure sentences, drift breaches, or the error of a failed job. */
  failures?: readonly string[];
  /** Who caused it: a person's email, "api-key:<name>", or "retune" for automation. */
  actor?: string;
  /** Where to act: the version's page in the console. */
  url: string;
};

type TextObject = { type: "mrkdwn"; text: string };
export type SlackBlock =
  { type: "section"; text: TextObject } | { type: "context"; elements: TextObject[] };

export type WebhookPayload = {
  text: string;
  blocks: SlackBlock[];
  retune: NotificationEvent & { failures: string[] };
};

/** Slack shows at most 3000 characters per section; a long list is cut with a count. */
const MAX_LISTED = 10;
const SECTION_LIMIT = 3000;

const HEADLINES: Record<NotificationKind, (e: NotificationEvent) => string> = {
  awaiting_approval: (e) => `${ref(e)} passed its gate and awaits approval`,
  gate_passed: (e) => `${ref(e)} passed its gate`,
  gate_failed: (e) => `${ref(e)} failed its gate`,
  promoted: (e) => `${ref(e)} was promoted to ${e.stage ?? "a new stage"}`,
  rolled_back: (e) =>
    `${e.model} was rolled back to v${e.version}${e.stage ? ` in ${e.stage}` : ""}`,
  drift_breach: (e) => `Drift detected on ${ref(e)}`,
  training_succeeded: (e) => `Training finished for ${ref(e)}`,
  training_failed: (e) => `Training failed for ${ref(e)}`,
  retrain_started: (e) => `Re-training started for ${e.model}`,
  retrain_skipped: (e) => `Re-training skipped for ${e.model}`,
};

function ref(e: NotificationEvent): string {
  return `${e.model} v${e.version}`;
}

export function buildWebhookPayload(event: NotificationEvent): WebhookPayload {
  const headline = HEADLINES[event.kind](event);
  const failures = event.failures ?? [];
  const listed = failures.slice(0, MAX_LISTED).map((f) => `• ${escapeMrkdwn(f)}`);
  if (failures.length > MAX_LISTED) listed.push(`…and ${failures.length - MAX_LISTED} more`);

  // The link goes last and must survive clipping, so the list is clipped instead.
  const link = `<${event.url.replace(/\|/g, "%7C").replace(/>/g, "%3E")}|Open in retune>`;
  const head = [`*${escapeMrkdwn(headline)}*`, ...listed].join("\n");
  const main = `${clip(head, SECTION_LIMIT - link.length - 1)}\n${link}`;
  const blocks: SlackBlock[] = [{ type: "section", text: { type: "mrkdwn", text: main } }];
  if (event.actor)
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `by ${escapeMrkdwn(event.actor)}` }],
    });

  // Slack parses the fallback too, so a model named "<!channel>" must not ping anyone.
  const text = `${escapeMrkdwn(headline)}${failures.length > 0 ? ` (${failures.length} issue${failures.length === 1 ? "" : "s"})` : ""}: ${event.url}`;
  return { text, blocks, retune: { ...event, failures: [...failures] } };
}

/** Slack's mrkdwn treats &, < and > as control characters; everything else is literal enough. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
