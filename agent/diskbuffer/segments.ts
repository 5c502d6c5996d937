/**
 * The set of segment files: which exist, which one is written, their bytes, and the reader holding the
 * oldest ones' records (reader.ts). Mechanism only: what to evict, what to count and when to persist the position
 * are decided by the driver (core.ts). Filesystem errors are thrown to it.
 */
import { SEGMENT_HEADER_BYTES } from './format.ts';
import { errnoOf, type FileSystem, fsyncDir } from './fsys.ts';
import type { Entry } from './options.ts';
import type { Loaded, SegmentReader } from './reader.ts';
import { type SegmentState, validAbove } from './recovery.ts';
import { ActiveSegment } from './segment.ts';

export class SegmentLog {
  /** Oldest first. The active segment, when there is one, is the last. */
  readonly list: SegmentState[];
  readonly #fs: FileSystem;
  readonly #dir: string;
  readonly #segmentBytes: number;
  #active: ActiveSegment | undefined;
  #bytes: number;
  /** Id of the last record written to a segment (the next segment's prevId). */
  #lastDiskId: number;
  readonly #reader: SegmentReader;

  constructor(
    fsys: FileSystem,
    dir: string,
    list: SegmentState[],
    lastDiskId: number,
    segmentBytes: number,
    reader: SegmentReader,
  ) {
    this.#fs = fsys;
    this.#reader = reader;
    this.#dir = dir;
    this.list = list;
    this.#lastDiskId = lastDiskId;
    this.#segmentBytes = segmentBytes;
    this.#bytes = list.reduce((n, s) => n + s.size, 0);
  }

  get bytes(): number {
    return this.#bytes;
  }

  get dirty(): boolean {
    return this.#active?.dirty ?? false;
  }

  /** Valid records above `floor`. */
  count(floor: number): number {
    return this.list.reduce((n, s) => n + validAbove(s, floor), 0);
  }

  /** Where the first record above `floor` is: its segment and (when cached) its offset. */
  head(floor: number): { segment: number; offset: number } {
    const seg = this.list.find((s) => validAbove(s, floor) > 0);
    if (!seg) return { segment: 0, offset: 0 };
    const first = this.#reader.held(seg.firstId)?.find((e) => e.id > floor);
    return { segment: seg.firstId, offset: first?.offset ?? SEGMENT_HEADER_BYTES };
  }

  /** Whether writing `size` bytes as record `id` starts a new segment. */
  needsNewSegment(id: number, size: number): boolean {
    const a = this.#active;
    if (!a?.open) return true;
    return a.state.lastId !== id - 1 || (!a.empty && a.state.size + size > this.#segmentBytes);
  }

  /** Appends one encoded record (rolling to a new segment when needed); throws the fs error. */
  write(e: Entry, record: Uint8Array, sync: boolean, durable: boolean): void {
    if (this.needsNewSegment(e.id, record.length)) {
      const old = this.#active;
      this.#active = undefined;
      if (old) this.#seal(old, durable, true);
      const a = ActiveSegment.create(this.#fs, this.#dir, e.id, this.#lastDiskId, durable);
      this.#active = a;
      this.list.push(a.state);
      this.#bytes += a.state.size;
    }
    const a = this.#active as ActiveSegment;
    e.offset = a.append(record, e.id, sync);
    this.#bytes += record.length;
    this.#lastDiskId = e.id;
    this.#reader.written(a.state.firstId, e);
  }

  /** fdatasync of the active segment when it has unsynced writes; true when one happened. */
  sync(): boolean {
    return this.#active?.sync() ?? false;
  }

  /** Seals and closes the active segment (syncing it when `durable`; `summary`: see ActiveSegment.seal). */
  seal(durable: boolean, summary = true): void {
    const a = this.#active;
    this.#active = undefined;
    if (a) this.#seal(a, durable, summary);
  }

  /** Seals `a`, counting the seal's bytes even when the sync after it throws. */
  #seal(a: ActiveSegment, durable: boolean, summary: boolean): void {
    const before = a.state.size;
    try {
      a.seal(durable, summary);
    } finally {
      this.#bytes += a.state.size - before;
    }
  }

  isActive(seg: SegmentState): boolean {
    return this.#active?.state === seg;
  }

  /**
   * Unlinks `seg` and forgets it (even when the unlink fails: recovery deletes it later). `acked`: every
   * record in it is acknowledged, so the buffer its records were read into is reused (reader.ts).
   */
  remove(seg: SegmentState, acked: boolean): void {
    if (this.isActive(seg)) this.seal(false, false);
    const i = this.list.indexOf(seg);
    if (i >= 0) this.list.splice(i, 1);
    this.#bytes -= seg.size;
    this.#reader.forget(seg.firstId, acked);
    try {
      this.#fs.unlink(seg.path);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
    }
  }

  fsyncDir(): void {
    fsyncDir(this.#fs, this.#dir);
  }

  /** The records of `seg` above `floor` (see SegmentReader.entries). Throws when it cannot be read. */
  entries(seg: SegmentState, floor: number, keep: boolean): Loaded {
    return this.#reader.entries(seg, floor, keep);
  }

  /** Forgets held records with ids ≤ `id`. */
  prune(id: number): void {
    this.#reader.prune(id);
  }
}
