import type { Finding } from "@/lib/schemas/datasets";
import type { FieldPaths } from "./field-paths";
import { finding } from "./finding";
import {
  findCardIn,
  findEmail,
  findPhoneIn,
  maskDigits,
  maskEmail,
  mayHoldNumber,
  type PiiMatch,
} from "./pii";
import type { ChatMessage } from "./types";

const EMAIL = 1;
const PHONE = 2;
const CARD = 4;
const NUMBERS = PHONE | CARD;
const ALL = EMAIL | NUMBERS;
/** Shorter than the shortest match of any kind ("a@b.cc"). */
const MIN_LENGTH = 6;

const ADVICE = "remove or pseudonymise personal data before training";

// The matches of the last scanText call, read by reportPii right after it.
let email: PiiMatch | null = null;
let phone: PiiMatch | null = null;
let card: PiiMatch | null = null;

/**
 * Looks in `text` for the kinds not in `found` (a bit set) and returns the kinds it found there.
 * Each kind is reported once per example, at its first occurrence, so kinds already found are
 * not looked for again.
 */
function scanText(text: string, found: number): number {
  if (found === ALL || text.length < MIN_LENGTH) return 0;
  let hit = 0;
  if ((found & EMAIL) === 0 && (email = findEmail(text))) hit |= EMAIL;
  if ((found & NUMBERS) === NUMBERS || !mayHoldNumber(text)) return hit;
  if ((found & PHONE) === 0 && (phone = findPhoneIn(text))) hit |= PHONE;
  if ((found & CARD) === 0 && (card = findCardIn(text))) hit |= CARD;
  return hit;
}

function reportPii(hit: number, text: string, field: string, line: number, findings: Finding[]) {
  if (hit & EMAIL) {
    const message = `possible email address (${maskEmail(text, email!)}); ${ADVICE}`;
    findings.push(finding(line, "warning", "pii_email", message, field));
  }
  if (hit & PHONE) {
    const message = `possible phone number (${maskDigits(text, phone!, 2)}); ${ADVICE}`;
    findings.push(finding(line, "warning", "pii_phone", message, field));
  }
  if (hit & CARD) {
    const masked = maskDigits(text, card!, 4);
    const message = `possible payment card number (${masked}, passes the Luhn check); ${ADVICE}`;
    findings.push(finding(line, "warning", "pii_card", message, field));
  }
}

/** Message contents and tool-call arguments: everything the model reads or writes. */
export function scanMessagesForPii(
  messages: readonly ChatMessage[],
  paths: FieldPaths,
  line: number,
  findings: Finding[],
): void {
  let found = 0;
  for (let i = 0; i < messages.length && found !== ALL; i++) {
    const m = messages[i]!;
    if (m.content !== null) {
      const hit = scanText(m.content, found);
      if (hit) {
        reportPii(hit, m.content, paths.content(i), line, findings);
        found |= hit;
      }
    }
    const calls = m.tool_calls;
    if (!calls) continue;
    for (let j = 0; j < calls.length; j++) {
      const args = calls[j]!.function.arguments;
      const hit = scanText(args, found);
      if (hit) {
        reportPii(hit, args, paths.toolArguments(i, j), line, findings);
        found |= hit;
      }
    }
  }
}

/** Completion rows: the prompt, then the completion. */
export function scanCompletionForPii(
  prompt: string,
  completion: string,
  line: number,
  findings: Finding[],
): void {
  const hit = scanText(prompt, 0);
  if (hit) reportPii(hit, prompt, "prompt", line, findings);
  const more = scanText(completion, hit);
  if (more) reportPii(more, completion, "completion", line, findings);
}
