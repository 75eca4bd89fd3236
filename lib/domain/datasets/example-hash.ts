import type { NormalizedExample } from "./types";

/**
 * A fast, pure 53-bit string hash: two 32-bit multiply-xor lanes (Math.imul) cross-mixed at the
 * end and combined into a safe integer, after bryc's public-domain cyrb53. Not cryptographic; it
 * only has to spread rows evenly for the split and make accidental collisions rare for duplicate
 * detection (about n² / 2^54: one expected false duplicate around 100 million rows).
 */
export function hashString(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * JSON with object keys sorted at every level, so two rows that differ only in key order hash the
 * same. Follows JSON.stringify otherwise: undefined and function members are dropped (null in
 * arrays), non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
  return write(value, null) ?? "null";
}

function write(value: unknown, omitKey: string | null): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return undefined; // undefined, function, symbol; bigint is not JSON either
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += write(value[i], null) ?? "null";
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    if (key === omitKey) continue;
    const v = write(obj[key], null);
    if (v === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${v}`;
  }
  return `${out}}`;
}

/** Hash of any JSON value, insensitive to key order. */
export function exampleHash(value: unknown): number {
  return hashString(canonicalJson(value));
}

/**
 * Hash of a normalized example's content, ignoring `source`: the same conversation from two
 * sources, or once as ShareGPT and once as chat, is one example (a duplicate, and on the same
 * side of the split).
 */
export function normalizedExampleHash(example: NormalizedExample): number {
  return hashString(write(example, "source")!);
}

/**
 * Deterministic train/eval assignment: a row goes to eval when hash mod 10000 falls below
 * evalFraction × 10000. Equal rows (equal hashes) always land on the same side, so duplicates
 * cannot leak from train into eval. Rounded so that 0.29 means 2900 buckets, not 2899.
 */
export function splitOf(hash: number, evalFraction: number): "train" | "eval" {
  return hash % 10000 < evalBuckets(evalFraction) ? "eval" : "train";
}

/** The number of the 10000 hash buckets that go to eval. */
export function evalBuckets(evalFraction: number): number {
  return Math.round(Math.min(1, Math.max(0, evalFraction)) * 10000);
}
