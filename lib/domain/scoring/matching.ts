/**
 * Maximum bipartite matching (Kuhn's augmenting paths) between `left` items 0..n-1 and `right`
 * items 0..m-1, where `fits(i, j)` says whether they may be paired. Parallel tool calls need it:
 * a greedy first-fit can pair an expected call with a produced call that a later expected call
 * needed, and then wrongly report a mismatch. O(n·m·(n+m)) on the handful of calls a case has.
 *
 * Returns, for each left index, the right index it is matched to or -1.
 */
export function maxMatching(
  n: number,
  m: number,
  fits: (i: number, j: number) => boolean,
): number[] {
  const rightOwner = new Array<number>(m).fill(-1);
  const leftMatch = new Array<number>(n).fill(-1);

  function augment(i: number, seen: boolean[]): boolean {
    for (let j = 0; j < m; j++) {
      if (seen[j] || !fits(i, j)) continue;
      seen[j] = true;
      const owner = rightOwner[j]!;
      if (owner === -1 || augment(owner, seen)) {
        rightOwner[j] = i;
        leftMatch[i] = j;
        return true;
      }
    }
    return false;
  }

  for (let i = 0; i < n; i++) augment(i, new Array<boolean>(m).fill(false));
  return leftMatch;
}

/**
 * BFCL's pairing of parallel calls (`parallel_function_checker_no_order`): each left item in
 * order takes the first right item not yet taken that fits. Unlike `maxMatching` it can strand a
 * later left item whose only fit an earlier one took; the `bfcl` profile keeps that for parity.
 *
 * Returns, for each left index, the right index it is matched to or -1.
 */
export function greedyMatching(
  n: number,
  m: number,
  fits: (i: number, j: number) => boolean,
): number[] {
  const taken = new Array<boolean>(m).fill(false);
  const leftMatch = new Array<number>(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (taken[j] || !fits(i, j)) continue;
      taken[j] = true;
      leftMatch[i] = j;
      break;
    }
  }
  return leftMatch;
}
