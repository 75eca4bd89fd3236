/**
 * A set of 1-based line numbers as a growable bitset: one bit per line of the file, whatever the
 * number of lines in the set (a 10-million-line file costs 1.25 MB at most).
 */
export class LineSet {
  private bits = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a line; true when it was not in the set yet. */
  add(line: number): boolean {
    const word = line >>> 5;
    if (word >= this.bits.length) this.grow(word);
    const bit = 1 << (line & 31);
    const current = this.bits[word]!;
    if ((current & bit) !== 0) return false;
    this.bits[word] = current | bit;
    this.count++;
    return true;
  }

  has(line: number): boolean {
    const word = line >>> 5;
    return word < this.bits.length && (this.bits[word]! & (1 << (line & 31))) !== 0;
  }

  /** The lines in ascending order. */
  toArray(): Uint32Array {
    const out = new Uint32Array(this.count);
    let n = 0;
    for (let w = 0; w < this.bits.length && n < this.count; w++) {
      let word = this.bits[w]!;
      while (word !== 0) {
        const low = word & -word;
        out[n++] = w * 32 + (31 - Math.clz32(low));
        word ^= low;
      }
    }
    return out;
  }

  private grow(word: number): void {
    let size = this.bits.length * 2;
    while (size <= word) size *= 2;
    const bits = new Uint32Array(size);
    bits.set(this.bits);
    this.bits = bits;
  }
}
