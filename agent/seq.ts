/**
 * `seq` allocation: monotonic per agent and never reused, even across `kill -9`.
 *
 * Seqs are handed out from a reserved block: before the first seq of a block is used, the block's end
 * (exclusive) is persisted (the store writes atomically). Invariant: every seq ever handed out is below
 * the persisted reservation, so a restarted agent that begins at the persisted reservation can never
 * repeat one. A crash skips at most the rest of a block (gaps are fine; repeats are not). If persisting
 * fails, no seq of the new block is handed out.
 */

export interface SeqStore {
  /** The persisted reservation (first seq not yet handed out by any previous run), if any. */
  load(): number | undefined;
  /** Persists a new reservation; must be durable when it returns (or throw). */
  save(reservedUpTo: number): void;
}

export const SEQ_BLOCK = 1000;

export class SeqAllocator {
  readonly #store: SeqStore;
  readonly #block: number;
  #next: number;
  #reserved: number;

  constructor(store: SeqStore, block = SEQ_BLOCK) {
    if (!Number.isSafeInteger(block) || block < 1) throw new RangeError(`bad seq block ${block}`);
    this.#store = store;
    this.#block = block;
    const persisted = store.load();
    // Seq 0 is proto3's "absent": start at 1.
    this.#next = persisted !== undefined && Number.isSafeInteger(persisted) && persisted > 0 ? persisted : 1;
    this.#reserved = this.#next;
  }

  /** The next seq; reserves (persists) a new block first when the current one is used up. */
  next(): number {
    if (this.#next >= this.#reserved) {
      const reserved = this.#next + this.#block;
      this.#store.save(reserved);
      this.#reserved = reserved;
    }
    return this.#next++;
  }

  /** The seq the next call returns (for logs and tests). */
  peek(): number {
    return this.#next;
  }
}
