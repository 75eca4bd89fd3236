/**
 * JSONL is UTF-8. A file saved as UTF-16 or UTF-32 (Windows editors and PowerShell's default
 * redirection do this) reads, byte by byte, as a BOM or a NUL after every character; say that,
 * instead of "line 1 does not start a JSON object", so the person knows to re-save the file.
 */
export type WideEncoding = "UTF-16LE" | "UTF-16BE" | "UTF-32LE" | "UTF-32BE";

const BOMS: [WideEncoding, number[]][] = [
  // UTF-32LE before UTF-16LE: its BOM begins with UTF-16LE's.
  ["UTF-32LE", [0xff, 0xfe, 0x00, 0x00]],
  ["UTF-32BE", [0x00, 0x00, 0xfe, 0xff]],
  ["UTF-16LE", [0xff, 0xfe]],
  ["UTF-16BE", [0xfe, 0xff]],
];
/** U+FFFD in UTF-8: what a BOM of FF/FE bytes becomes once decoded as UTF-8 and re-encoded. */
const REPLACEMENT = [0xef, 0xbf, 0xbd];

const startsWith = (b: Uint8Array, prefix: number[], at = 0) =>
  prefix.every((x, i) => b[at + i] === x);

/** The wide encoding the first bytes of a file are in, or null (UTF-8, ASCII, or not text). */
export function detectWideEncoding(head: Uint8Array): WideEncoding | null {
  for (const [encoding, bom] of BOMS) if (startsWith(head, bom)) return encoding;
  let at = 0;
  while (startsWith(head, REPLACEMENT, at)) at += REPLACEMENT.length;
  const sample = head.subarray(at, at + 256);
  if (sample.length < 4 || !sample.includes(0)) return null;
  // ASCII text (JSON's brackets, quotes and keys) in a wide encoding: the character byte sits at
  // one offset of every 2 or 4 and NULs fill the others.
  const zeros = [0, 0, 0, 0];
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < sample.length; i++) {
    counts[i % 4]!++;
    if (sample[i] === 0) zeros[i % 4]!++;
  }
  const allZero = (r: number) => zeros[r] === counts[r];
  const mostlyZero = (r: number) => zeros[r]! >= counts[r]! * 0.9;
  if (!allZero(0) && mostlyZero(1) && mostlyZero(2) && mostlyZero(3)) return "UTF-32LE";
  if (mostlyZero(0) && mostlyZero(1) && mostlyZero(2) && !allZero(3)) return "UTF-32BE";
  if (mostlyZero(1) && mostlyZero(3)) return "UTF-16LE";
  if (mostlyZero(0) && mostlyZero(2)) return "UTF-16BE";
  return null;
}

export function wideEncodingMessage(encoding: WideEncoding): string {
  const family = encoding.slice(0, 6);
  return `the file is ${family} (${encoding}); re-save it as UTF-8 (JSONL is UTF-8: one JSON object per line)`;
}
