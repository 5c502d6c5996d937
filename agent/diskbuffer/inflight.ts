/**
 * Records being sent, and those the byte bound evicted while they were (DiskBuffer.sending / sent).
 *
 * Why: the consumer reads a record, sends it, and acknowledges it when the answer comes. If the bound
 * evicts the record's segment in between, counting it `disk_bound` at once would be wrong whenever the
 * send then succeeds: the payload is in the rollups and also reported dropped (the agent's backfill
 * lane keeps several oldest records in flight, exactly the ones eviction takes first). So an evicted
 * record that is being sent is held here, with what a drop count needs, until the consumer's answer:
 * ackOne → delivered, not a drop; ackDropped → that reason; sent() without either (a retriable failure:
 * the record is gone, so it will not be retried) → `disk_bound`.
 *
 * Durability: the held records are written in the position (`evicting`), so a crash before the answer
 * counts them `disk_bound` on the next open (the send's outcome is unknown then; the count errs on the
 * side of a loss, by at most the records in flight). Bounded: at most MAX_IN_FLIGHT ids are tracked as
 * being sent; beyond, a record is counted at eviction as before. Pure, synchronous.
 */
import type { RecordMeta } from './format.ts';

export const MAX_IN_FLIGHT = 256;

/** An evicted record whose send was in flight: what its drop count needs. */
export interface Evicting {
  id: number;
  /** Header + payload bytes, as stored. */
  size: number;
  meta?: RecordMeta;
}

export class InFlight {
  readonly #sending = new Set<number>();
  readonly #evicted = new Map<number, Evicting>();

  /** Records held (evicted while being sent, answer pending), oldest id first. */
  get evicted(): Evicting[] {
    return [...this.#evicted.values()].sort((a, b) => a.id - b.id);
  }

  /** Record `id` is being sent (a no-op past MAX_IN_FLIGHT: it is then counted at eviction). */
  sending(id: number): void {
    if (this.#sending.size < MAX_IN_FLIGHT) this.#sending.add(id);
  }

  /** At eviction: true when `e` is being sent and is held instead of counted. */
  defer(e: Evicting): boolean {
    if (!this.#sending.has(e.id)) return false;
    this.#evicted.set(e.id, e.meta ? { id: e.id, size: e.size, meta: e.meta } : { id: e.id, size: e.size });
    return true;
  }

  /** The consumer answered for `id` (ack or drop): the held record, if it was evicted (now forgotten). */
  answered(id: number): Evicting | undefined {
    const e = this.#evicted.get(id);
    this.#evicted.delete(id);
    return e;
  }

  /** The send of `id` is over: the held record still unanswered, if any, is a drop (returned, forgotten). */
  sent(id: number): Evicting | undefined {
    this.#sending.delete(id);
    return this.answered(id);
  }

  /** Everything held (at close: their sends will not be answered), forgotten. */
  clear(): Evicting[] {
    const out = this.evicted;
    this.#evicted.clear();
    this.#sending.clear();
    return out;
  }
}
