import { luhnValid } from "./luhn";

/**
 * Personal-data hints: email addresses, phone numbers and payment card numbers in training text.
 *
 * These run over untrusted text, every string of every row, so they are hand-written linear
 * scanners rather than regexes: an unanchored pattern like `[\w.]+@[\w.]+\.\w+` backtracks
 * quadratically on a long run of word characters with no "@". Each scanner looks at every
 * character a bounded number of times; the only regex is a single character class used to jump
 * to the next digit natively.
 */
export type PiiMatch = { start: number; end: number };

const LOCAL_MAX = 64; // RFC 5321 limits
const DOMAIN_MAX = 253;

function isLocalChar(c: number): boolean {
  // A-Z a-z 0-9 . _ % + -
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 95 ||
    c === 37 ||
    c === 43 ||
    c === 45
  );
}

function isDomainChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46
  );
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * The first `local@domain.tld` in text. From each "@" it scans left over at most 64 local-part
 * characters and right over at most 253 domain characters; neither scan can cross another "@",
 * so the whole search is linear.
 */
export function findEmail(text: string): PiiMatch | null {
  let at = text.indexOf("@");
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start < LOCAL_MAX && isLocalChar(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    const limit = Math.min(text.length, at + 1 + DOMAIN_MAX);
    while (end < limit && isDomainChar(text.charCodeAt(end))) end++;
    // A sentence-final "." or a dangling "-" is not part of the domain.
    while (
      end > at + 1 &&
      !isLetter(text.charCodeAt(end - 1)) &&
      !isDigit(text.charCodeAt(end - 1))
    ) {
      end--;
    }
    while (start < at && text.charCodeAt(start) === 46) start++; // no leading "."
    if (start < at && end > at + 1) {
      // The last "." inside the domain, searched only there: lastIndexOf could run back over
      // the whole text for every "@" and make the scan quadratic.
      let dot = end - 1;
      while (dot > at + 1 && text.charCodeAt(dot) !== 46) dot--;
      if (dot > at + 1 && end - dot - 1 >= 2 && allLetters(text, dot + 1, end)) {
        return { start, end };
      }
    }
    at = text.indexOf("@", at + 1);
  }
  return null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function allLetters(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isLetter(text.charCodeAt(i))) return false;
  return true;
}

// ---- digit runs: the shared reader behind phone and card detection ----

/**
 * A "digit run" is digits with single separators (space - . ( )), up to two in a row so that
 * "(415) 555" reads as one run. Only the first few groups matter to the shapes below, so only
 * those are recorded, in preallocated arrays: no allocation per run.
 */
const MAX_GROUPS = 8;
const groupLen = new Int32Array(MAX_GROUPS);
const groupEnd = new Int32Array(MAX_GROUPS);
let groups = 0;
let runDigits = 0;
let runSeps = 0; // separators between digits, bit set: 1 space, 2 dash, 4 dot, 8 parenthesis
let runEnd = 0; // after the last digit
let runNext = 0; // where scanning resumes

const NEXT_DIGIT = /[0-9]/g;
/**
 * Whether text has a run of at least 10 digits (the fewest a phone number has) in the run syntax
 * above. Most strings have none, and this native test rejects them faster than the scan would.
 * Linear: each `{0,2}` can only back off into separators, where `\d` fails at once, so the work
 * per starting position is bounded.
 */
const TEN_DIGIT_RUN = /\d(?:[ ().-]{0,2}\d){9}/;

function sepBit(c: number): number {
  switch (c) {
    case 32:
      return 1;
    case 45:
      return 2;
    case 46:
      return 4;
    case 40:
    case 41:
      return 8;
    default:
      return 0;
  }
}

/** Reads the run whose first digit is at `d` into the module state above. */
function readRun(text: string, d: number): void {
  groups = 0;
  runDigits = 0;
  runSeps = 0;
  let len = 0;
  let sepsInRow = 0;
  let pendingSeps = 0; // separators after the last digit count only once another digit follows
  let i = d;
  runEnd = d;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      len++;
      runDigits++;
      sepsInRow = 0;
      runSeps |= pendingSeps;
      pendingSeps = 0;
      i++;
      runEnd = i;
      continue;
    }
    const bit = sepBit(c);
    if (bit === 0 || sepsInRow === 2) break;
    if (len > 0) pushGroup(len);
    len = 0;
    pendingSeps |= bit;
    sepsInRow++;
    i++;
  }
  if (len > 0) pushGroup(len);
  runNext = i;
}

function pushGroup(len: number): void {
  if (groups < MAX_GROUPS) {
    groupLen[groups] = len;
    groupEnd[groups] = runEnd;
  }
  groups++;
}

type NumberKind = "phone" | "card";

/** The first run of `kind` in text; runs glued to letters (ids, hashes, "v2") are skipped. */
function findNumber(text: string, kind: NumberKind): PiiMatch | null {
  NEXT_DIGIT.lastIndex = 0;
  while (NEXT_DIGIT.test(text)) {
    const d = NEXT_DIGIT.lastIndex - 1;
    const before = d > 0 ? text.charCodeAt(d - 1) : 0;
    if (isWordChar(before)) {
      // Inside a token such as "a1b2" or "v2": skip the rest of the token.
      let i = d;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      NEXT_DIGIT.lastIndex = i;
      continue;
    }
    const prefixed = before === 43 || before === 40; // "+" or "("
    const start = prefixed && !(d > 1 && isWordChar(text.charCodeAt(d - 2))) ? d - 1 : d;
    readRun(text, d);
    NEXT_DIGIT.lastIndex = runNext;
    if (isWordChar(runEnd < text.length ? text.charCodeAt(runEnd) : 0)) continue;
    const plus = start < d && before === 43;
    if (kind === "phone") {
      if (isPhone(text, d, plus)) return { start, end: runEnd };
    } else if (!plus) {
      const end = cardEnd(text, d);
      if (end > 0) return { start: d, end };
    }
  }
  return null;
}

/**
 * Phone shapes, chosen so plain ids, epoch timestamps and ISO dates do not match:
 * - "+" then 10–15 digits, any grouping (E.164);
 * - North American "(415) 555-2671", "415.555.2671", "1 415 555 2671": groups 3-3-4;
 * - national numbers with a trunk "0" ("020 7946 0958", "06 12 34 56 78"): 10–11 digits in
 *   2–5 groups of 2–5.
 * A bare run of digits without "+" is never a phone: it is far more often an id.
 */
function isPhone(text: string, d: number, plus: boolean): boolean {
  if (plus) return runDigits >= 10 && runDigits <= 15;
  if (groups < 2) return false;
  const o = groups >= 4 && groupLen[0] === 1 && text.charCodeAt(d) === 49 ? 1 : 0;
  if (groups >= o + 3 && groupLen[o] === 3 && groupLen[o + 1] === 3 && groupLen[o + 2] === 4) {
    return true;
  }
  if (text.charCodeAt(d) === 48 && runDigits >= 10 && runDigits <= 11 && groups <= 5) {
    for (let g = 0; g < groups; g++) if (groupLen[g]! < 2 || groupLen[g]! > 5) return false;
    return true;
  }
  return false;
}

/**
 * Card numbers: 13–19 digits, either unbroken or grouped by spaces or dashes with a first group
 * of 4 (4-4-4-4, Amex 4-6-5, …), starting with 2–6 (the card networks' ranges, which also rules
 * out millisecond timestamps), passing Luhn. A grouped run may carry more after the number
 * ("4111 1111 1111 1111 12/27"), so every prefix of whole groups of a valid length is tried.
 * Returns the end of the number, or -1.
 */
function cardEnd(text: string, d: number): number {
  const first = text.charCodeAt(d);
  if (first < 50 || first > 54) return -1;
  if ((runSeps & ~3) !== 0) return -1;
  if (groups === 1) {
    return runDigits >= 13 && runDigits <= 19 && luhnValid(text, d, runEnd) ? runEnd : -1;
  }
  if (groupLen[0] !== 4) return -1;
  let total = 4;
  const last = Math.min(groups, MAX_GROUPS);
  for (let g = 1; g < last; g++) {
    const len = groupLen[g]!;
    if (len < 3 || len > 6) break;
    total += len;
    if (total > 19) break;
    if (total >= 13 && luhnValid(text, d, groupEnd[g]!)) return groupEnd[g]!;
  }
  return -1;
}

export function findPhone(text: string): PiiMatch | null {
  return TEN_DIGIT_RUN.test(text) ? findNumber(text, "phone") : null;
}

export function findCard(text: string): PiiMatch | null {
  return TEN_DIGIT_RUN.test(text) ? findNumber(text, "card") : null;
}

/** Whether text can hold a phone or card number at all: one cheap test before both scans. */
export function mayHoldNumber(text: string): boolean {
  return TEN_DIGIT_RUN.test(text);
}

/** findPhone and findCard for text that passed mayHoldNumber. */
export function findPhoneIn(text: string): PiiMatch | null {
  return findNumber(text, "phone");
}

export function findCardIn(text: string): PiiMatch | null {
  return findNumber(text, "card");
}

/** "j***@example.com": enough to find it in the row, without repeating the address. */
export function maskEmail(text: string, m: PiiMatch): string {
  const at = text.indexOf("@", m.start);
  return `${text.charAt(m.start)}***${text.slice(at, m.end)}`;
}

/** Every digit but the last `keep` replaced by "•": "•••-•••-••71". */
export function maskDigits(text: string, m: PiiMatch, keep: number): string {
  const raw = text.slice(m.start, m.end);
  let digits = 0;
  for (let i = 0; i < raw.length; i++) if (isDigit(raw.charCodeAt(i))) digits++;
  let out = "";
  let seen = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (isDigit(raw.charCodeAt(i))) out += ++seen > digits - keep ? ch : "•";
    else out += ch;
  }
  return out;
}
