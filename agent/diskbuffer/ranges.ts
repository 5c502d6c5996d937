/**
 * Inclusive id ranges `[from, to]`, kept sorted and merged: the ids counted as dropped that lie above
 * the read position (see Position.lost). Pure functions.
 */

export type IdRange = [number, number];

/** More ranges than this and the oldest are forgotten (they would be counted again after a restart). */
export const MAX_LOST_RANGES = 4096;

export function normalize(ranges: readonly IdRange[]): IdRange[] {
  const sorted = ranges.filter((r) => r[0] <= r[1]).sort((a, b) => a[0] - b[0]);
  const out: IdRange[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out.length > MAX_LOST_RANGES ? out.slice(out.length - MAX_LOST_RANGES) : out;
}

/** The parts of `r` not covered by `minus` (which must be normalized). */
export function subtract(r: IdRange, minus: readonly IdRange[]): IdRange[] {
  const out: IdRange[] = [];
  let from = r[0];
  for (const [a, b] of minus) {
    if (b < from) continue;
    if (a > r[1]) break;
    if (a > from) out.push([from, a - 1]);
    from = Math.max(from, b + 1);
    if (from > r[1]) return out;
  }
  if (from <= r[1]) out.push([from, r[1]]);
  return out;
}

/** Ranges clipped to ids above `floor`. */
export function above(ranges: readonly IdRange[], floor: number): IdRange[] {
  const out: IdRange[] = [];
  for (const [a, b] of ranges) if (b > floor) out.push([Math.max(a, floor + 1), b]);
  return out;
}

export function countIds(ranges: readonly IdRange[]): number {
  let n = 0;
  for (const [a, b] of ranges) n += b - a + 1;
  return n;
}

export function contains(ranges: readonly IdRange[], id: number): boolean {
  for (const [a, b] of ranges) if (id >= a && id <= b) return true;
  return false;
}
