import type { Finding } from "@/lib/schemas/datasets";
import { finding } from "./finding";

const INITIAL_CAPACITY = 1 << 10;
const TWO_32 = 4294967296;

/**
 * Remembers the first line of each example hash, to report later copies. An open-addressing
 * table over typed arrays (12 bytes a slot, at most half full) instead of a Map<number, number>,
 * which costs several times more per entry: a multi-million-row file must fit in a worker.
 */
export class DuplicateTracker {
  private hi = new Uint32Array(INITIAL_CAPACITY);
  private lo = new Uint32Array(INITIAL_CAPACITY);
  /** 1-based line of the first occurrence; 0 marks an empty slot. */
  private lines = new Uint32Array(INITIAL_CAPACITY);
  private count = 0;

  /** Distinct hashes seen. */
  get size(): number {
    return this.count;
  }

  /**
   * The first line with this hash, or null when it is new (and is then recorded at `line`).
   * `hash` is a non-negative safe integer (exampleHash, hashString); `line` is 1-based.
   */
  seen(hash: number, line: number): number | null {
    const lo = hash >>> 0;
    const hi = Math.floor(hash / TWO_32) >>> 0;
    const mask = this.lines.length - 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    for (;;) {
      const at = this.lines[slot]!;
      if (at === 0) break;
      if (this.lo[slot] === lo && this.hi[slot] === hi) return at;
      slot = (slot + 1) & mask;
    }
    this.lo[slot] = lo;
    this.hi[slot] = hi;
    this.lines[slot] = line;
    if (++this.count * 2 > this.lines.length) this.grow();
    return null;
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const capacity = lines.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let s = 0; s < lines.length; s++) {
      const line = lines[s]!;
      if (line === 0) continue;
      let slot = (lo[s]! ^ Math.imul(hi[s]!, 0x9e3779b1)) & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.hi[slot] = hi[s]!;
      this.lo[slot] = lo[s]!;
      this.lines[slot] = line;
    }
  }
}

/** The warning for a repeated example: duplicates over-weight one behaviour in training. */
export function duplicateFinding(line: number, firstLine: number): Finding {
  return finding(
    line,
    "warning",
    "duplicate_example",
    `same as line ${firstLine}; duplicates weigh one example more than the others in training`,
  );
}
