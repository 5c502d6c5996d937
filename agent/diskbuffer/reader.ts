/**
 * Reading records back from segment files, with memory independent of the backlog: at most
 * MAX_LOADED segments (the oldest ones with unacknowledged records) are held, each in a pooled buffer
 * (bufpool.ts) that read() hands out views of; any other segment is read into a pooled buffer that is
 * given back at once (transient: its records' bytes must be used or copied before the next read). Mechanism
 * only: SegmentLog calls it; filesystem errors are thrown to the driver.
 */
import type { BufferPool } from './bufpool.ts';
import type { FileSystem } from './fsys.ts';
import type { Entry } from './options.ts';
import type { SegmentState } from './recovery.ts';
import { readEntries, segmentSize, type Vanished } from './segment.ts';

/** Segments whose records are held (the head segment and the next: a read may span the boundary). */
export const MAX_LOADED = 2;

export interface Loaded {
  entries: Entry[];
  vanished: Vanished[];
  /** The entries' bytes are views of a buffer given back already: copy what is kept. */
  transient: boolean;
}

export class SegmentReader {
  readonly pool: BufferPool;
  readonly #fs: FileSystem;
  /** By segment firstId: its records above the position, and the buffer their bytes are views of. */
  readonly #loaded = new Map<number, { entries: Entry[]; buf: Uint8Array }>();

  constructor(fsys: FileSystem, pool: BufferPool) {
    this.#fs = fsys;
    this.pool = pool;
  }

  /** The records of `seg` above `floor` (held when `keep` and there is room; see the file header). */
  entries(seg: SegmentState, floor: number, keep: boolean): Loaded {
    const held = this.#loaded.get(seg.firstId);
    if (held) return { entries: held.entries, vanished: [], transient: false };
    const buf = this.pool.take(segmentSize(this.#fs, seg));
    const hold = keep && this.#loaded.size < MAX_LOADED;
    let got: ReturnType<typeof readEntries>;
    try {
      got = readEntries(this.#fs, seg, floor, buf);
    } catch (err) {
      this.pool.give(buf, true);
      throw err;
    }
    if (hold) this.#loaded.set(seg.firstId, { entries: got.entries, buf });
    else this.pool.give(buf, true);
    return { ...got, transient: !hold };
  }

  /** The held entries of segment `firstId`, if held. */
  held(firstId: number): Entry[] | undefined {
    return this.#loaded.get(firstId)?.entries;
  }

  /** A record just written to segment `firstId` (owning its bytes): added when that segment is held. */
  written(firstId: number, e: Entry): void {
    this.#loaded.get(firstId)?.entries.push(e);
  }

  /**
   * Forgets segment `firstId`. `recycle`: every record in it is acknowledged, so its buffer goes back to
   * the pool; otherwise (evicted by the bound, records maybe still in flight) it is left to the GC.
   */
  forget(firstId: number, recycle: boolean): void {
    const held = this.#loaded.get(firstId);
    if (!held) return;
    this.#loaded.delete(firstId);
    if (recycle) this.pool.give(held.buf);
  }

  /** Forgets held records with ids ≤ `id`. */
  prune(id: number): void {
    for (const held of this.#loaded.values()) {
      const k = held.entries.findIndex((e) => e.id > id);
      held.entries.splice(0, k < 0 ? held.entries.length : k);
    }
  }
}
