/**
 * What retune keeps of an answer from a team-configured URL (an inference endpoint's error, a
 * webhook receiver's refusal): a bounded, sanitised summary, never the raw body. The body may
 * echo the request's credentials, carry another system's tokens, or be as large as the remote
 * side likes; stored in an eval run's cases it would be readable by everyone in the team.
 */

/** Characters of body text kept in a summary. */
export const SUMMARY_CHARS = 200;
/** Bytes read from a body at most: enough to redact a secret (≤ 8 KiB) that starts early. */
const READ_BYTES = 16 * 1024;

const REDACTED = "[redacted]";

const hasDigitAndLetter = (m: string) => /\d/.test(m) && /[A-Za-z]/.test(m);

/** Shapes that look like credentials, whatever secret retune itself sent. */
const TOKEN_RULES: [RegExp, (match: string, scheme?: string) => string][] = [
  // Authorization values: "Bearer …", "Basic …", "Token …".
  [/\b(Bearer|Basic|Token)\s+[^\s"',;]+/gi, (_m, scheme) => `${scheme} ${REDACTED}`],
  // Vendor key prefixes: OpenAI/Anthropic sk-…, GitHub ghp_…, Slack xox…, Stripe-style pk_/rk_.
  [/\b(sk|pk|rk|ghp|gho|ghs|ghu|xox[abprs])[-_][A-Za-z0-9_-]{8,}/g, () => REDACTED],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, () => REDACTED],
  // Any long run of key-like characters mixing digits and letters (hex, base64 keys).
  [/[A-Za-z0-9+/_=-]{32,}/g, (m) => (hasDigitAndLetter(m) ? REDACTED : m)],
];

/** `text` with every given secret and anything that looks like a credential replaced. */
export function redactCredentials(text: string, secrets: readonly (string | null)[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join(REDACTED);
  for (const [re, replace] of TOKEN_RULES) out = out.replace(re, replace);
  return out;
}

/** One line, printable, credentials redacted, at most SUMMARY_CHARS characters (then "…"). */
export function summarizeText(text: string, secrets: readonly (string | null)[] = []): string {
  const line = redactCredentials(text, secrets)
    // Control characters (terminal escapes, NULs) would reach logs and the console as they are.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS)}…` : line;
}

type BodyOf = { body: AsyncIterable<Uint8Array> | null };

/** Reads at most READ_BYTES of a body and cancels the rest (a huge body is never buffered). */
export async function readBodyStart(res: BodyOf): Promise<string> {
  if (!res.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Leaving the loop early cancels the stream (its iterator's return()).
    for await (const chunk of res.body) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= READ_BYTES) break;
    }
  } catch {
    // A body cut short still tells what it said so far.
  }
  return Buffer.concat(chunks).subarray(0, READ_BYTES).toString("utf8");
}

/** "HTTP 500: <first 200 characters, sanitised>" for a non-2xx answer. */
export async function responseSummary(
  res: BodyOf & { status: number },
  secrets: readonly (string | null)[] = [],
): Promise<string> {
  const text = summarizeText(await readBodyStart(res), secrets);
  return `HTTP ${res.status}${text ? `: ${text}` : ""}`;
}
