/**
 * The few buffers segment files are read into, reused (agent-buffer-notes §5.11: memory during open and
 * drain must not grow with the backlog). A whole 8 MiB segment read into a fresh buffer each time is
 * garbage V8 collects only once ~64 MB of external memory has piled up; reused buffers are no garbage.
 *
 * Lifetime rule (what makes handing out views into these buffers safe): a buffer given back is not
 * handed out again by the very next take(), only by a later one. The driver gives a segment's buffer
 * back when every record in it is acknowledged, and read() views stay valid until then; the one load
 * in between (ackOne's own look at the next head record, say) lets a consumer still use the bytes of
 * the record it just acknowledged in the same synchronous step (the agent's sender counts its samples).
 * Pure memory, no I/O. Bound: POOL_KEEP free buffers plus those in use (the reader holds two, a
 * transient read one), each the size of a segment: ≤ 48 MiB at the default 8 MiB, whatever the backlog
 * (3 in use, 24 MiB, measured over a 2 GiB drain).
 */

/**
 * Buffers kept for reuse; more are left to the garbage collector. 3, not 2: two segments can be given
 * back between two takes, and a buffer dropped then is garbage plus a fresh allocation (RSS crept up
 * by ~8 MiB per GiB drained with 2; flat with 3: three buffers in use over a 2 GiB drain).
 */
export const POOL_KEEP = 3;

export class BufferPool {
  readonly #free: Array<{ buf: Uint8Array; gen: number }> = [];
  /** take() calls so far. */
  #gen = 0;
  readonly #minBytes: number;

  /** `minBytes`: the size of a new buffer when less is asked for (the segment size, so one fits all). */
  constructor(minBytes: number) {
    this.#minBytes = minBytes;
  }

  /** A buffer of at least `size` bytes: a free one given back before the previous take(), or a new one. */
  take(size: number): Uint8Array {
    const i = this.#free.findIndex((f) => f.gen < this.#gen && f.buf.length >= size);
    this.#gen++;
    if (i >= 0) return (this.#free.splice(i, 1)[0] as { buf: Uint8Array }).buf;
    return new Uint8Array(Math.max(size, this.#minBytes));
  }

  /**
   * `buf` is no longer referenced by anything handed out (see the lifetime rule above). `now`: nothing
   * outside the library ever saw views of it, so the next take() may reuse it.
   */
  give(buf: Uint8Array, now = false): void {
    this.#free.push({ buf, gen: now ? -1 : this.#gen });
    if (this.#free.length > POOL_KEEP) this.#free.shift();
  }

  /** Buffers held for reuse (at most POOL_KEEP; the two segments held by the reader are not here). */
  get held(): number {
    return this.#free.length;
  }
}
