/**
 * Records held in memory while the disk refuses writes (ENOSPC, EROFS, EIO…), oldest first, bounded by
 * bytes. Ids in it are consecutive (records leave only from the head: written back to disk, acked, or
 * dropped as the oldest when the bound is hit), so writing them back keeps a segment's ids gap-free.
 */
import type { Entry } from './options.ts';

export class MemoryOverflow {
  readonly #maxBytes: number;
  #items: Entry[] = [];
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get length(): number {
    return this.#items.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get items(): readonly Entry[] {
    return this.#items;
  }

  /** Adds `e` at the tail; returns what had to go (oldest first, possibly `e` itself) to stay bounded. */
  push(e: Entry): Entry[] {
    this.#items.push(e);
    this.#bytes += e.size;
    const dropped: Entry[] = [];
    while (this.#bytes > this.#maxBytes && this.#items.length > 0) dropped.push(this.shift() as Entry);
    return dropped;
  }

  peek(): Entry | undefined {
    return this.#items[0];
  }

  shift(): Entry | undefined {
    const e = this.#items.shift();
    if (e) this.#bytes -= e.size;
    return e;
  }

  /** Forgets the records with ids ≤ `id` (acknowledged). */
  ackThrough(id: number): void {
    while (this.#items[0] && this.#items[0].id <= id) this.shift();
  }

  /** Empties the queue, returning what it held. */
  clear(): Entry[] {
    const all = this.#items;
    this.#items = [];
    this.#bytes = 0;
    return all;
  }
}
