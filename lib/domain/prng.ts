/**
 * mulberry32: a tiny seeded PRNG. Statistics shown as evidence (bootstrap intervals in gate
 * decisions) must come out the same when recomputed, so nothing here uses Math.random. Test
 * fixtures (test/fixtures/tool-call-rows.ts) draw from it too.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
