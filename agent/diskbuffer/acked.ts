/**
 * Records acknowledged out of order (DiskBuffer.ackOne): ids above the read position (`doneThrough`)
 * that the consumer acknowledged one at a time while older ones are still pending. The agent's sender
 * needs it: its live lane acks the newest payloads while its backfill lane drains the oldest, several
 * requests in flight, answered in any order.
 *
 * Kept as sorted, merged, inclusive id ranges and persisted in the position (`acked`), so a restart
 * does not send them again; a crash re-sends at most the acks of the last positionIntervalMs. Bounded
 * by MAX_LOST_RANGES ranges: beyond it the oldest ranges are forgotten, and their records are read and
 * sent again (duplicates that the processor's (agentId, seq) dedup absorbs, never a loss). Pure.
 */
import { type IdRange, MAX_LOST_RANGES, normalize } from './ranges.ts';

export class AckedAhead {
  #ranges: IdRange[];
  #count = 0;

  constructor(ranges: readonly IdRange[] = []) {
    this.#ranges = normalize(ranges.map((r) => [r[0], r[1]] as IdRange));
    this.#recount();
  }

  /** A copy of the ranges, oldest first. */
  get ranges(): IdRange[] {
    return this.#ranges.map((r) => [r[0], r[1]]);
  }

  /** Ids held. */
  get count(): number {
    return this.#count;
  }

  has(id: number): boolean {
    const i = this.#search(id);
    const r = this.#ranges[i];
    return r !== undefined && r[0] <= id && id <= r[1];
  }

  /** Adds one id (a no-op when already held). */
  add(id: number): void {
    const i = this.#search(id);
    const r = this.#ranges[i];
    if (r && r[0] <= id && id <= r[1]) return;
    const prev = this.#ranges[i - 1];
    const joinsPrev = prev !== undefined && prev[1] === id - 1;
    const joinsNext = r !== undefined && r[0] === id + 1;
    if (joinsPrev && joinsNext) {
      prev[1] = r[1];
      this.#ranges.splice(i, 1);
    } else if (joinsPrev) prev[1] = id;
    else if (joinsNext) r[0] = id;
    else this.#ranges.splice(i, 0, [id, id]);
    this.#count++;
    if (this.#ranges.length > MAX_LOST_RANGES) {
      const gone = this.#ranges.splice(0, this.#ranges.length - MAX_LOST_RANGES);
      for (const [a, b] of gone) this.#count -= b - a + 1;
    }
  }

  /** Forgets every id ≤ `floor` (the read position moved past them). */
  clip(floor: number): void {
    let k = 0;
    while (k < this.#ranges.length && (this.#ranges[k] as IdRange)[1] <= floor) k++;
    if (k > 0) this.#ranges.splice(0, k);
    const first = this.#ranges[0];
    if (first && first[0] <= floor) first[0] = floor + 1;
    this.#recount();
  }

  /** Held ids in [from, to]. */
  within(from: number, to: number): number {
    let n = 0;
    for (const [a, b] of this.#ranges) {
      if (b < from) continue;
      if (a > to) break;
      n += Math.min(b, to) - Math.max(a, from) + 1;
    }
    return n;
  }

  /** The end of the run of held ids that starts right after `id` (`id` itself when id + 1 is not held). */
  runAfter(id: number): number {
    const r = this.#ranges[this.#search(id + 1)];
    return r && r[0] <= id + 1 && id + 1 <= r[1] ? r[1] : id;
  }

  /** Index of the first range whose end is ≥ id. */
  #search(id: number): number {
    let lo = 0;
    let hi = this.#ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#ranges[mid] as IdRange)[1] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #recount(): void {
    this.#count = 0;
    for (const [a, b] of this.#ranges) this.#count += b - a + 1;
  }
}
