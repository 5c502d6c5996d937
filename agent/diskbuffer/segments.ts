/**
 * The set of segment files: which exist, which one is written, their bytes, and a cache of the oldest
 * one's records for reads. Mechanism only: what to evict, what to count and when to persist the position
 * are decided by the driver (diskbuffer.ts). Filesystem errors are thrown to it.
 */
import { SEGMENT_HEADER_BYTES } from './format.ts';
import { errnoOf, type FileSystem, fsyncDir } from './fsys.ts';
import type { Entry } from './options.ts';
import { type SegmentState, validAbove } from './recovery.ts';
import { ActiveSegment, readEntries } from './segment.ts';

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
  /** The records of one segment (the oldest with unacked records), so reads do not rescan it. */
  #cache: { firstId: number; entries: Entry[] } | undefined;

  constructor(fsys: FileSystem, dir: string, list: SegmentState[], lastDiskId: number, segmentBytes: number) {
    this.#fs = fsys;
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
    const first =
      this.#cache?.firstId === seg.firstId ? this.#cache.entries.find((e) => e.id > floor) : undefined;
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
      old?.seal(durable);
      const a = ActiveSegment.create(this.#fs, this.#dir, e.id, this.#lastDiskId, durable);
      this.#active = a;
      this.list.push(a.state);
      this.#bytes += a.state.size;
    }
    const a = this.#active as ActiveSegment;
    e.offset = a.append(record, e.id, sync);
    this.#bytes += record.length;
    this.#lastDiskId = e.id;
    if (this.#cache && this.#cache.firstId === a.state.firstId) this.#cache.entries.push(e);
  }

  /** fdatasync of the active segment when it has unsynced writes; true when one happened. */
  sync(): boolean {
    return this.#active?.sync() ?? false;
  }

  /** Closes the active segment (syncing it when `durable`). */
  seal(durable: boolean): void {
    const a = this.#active;
    this.#active = undefined;
    a?.seal(durable);
  }

  isActive(seg: SegmentState): boolean {
    return this.#active?.state === seg;
  }

  /** Unlinks `seg` and forgets it (even when the unlink fails: recovery deletes it later). */
  remove(seg: SegmentState): void {
    if (this.isActive(seg)) this.seal(false);
    const i = this.list.indexOf(seg);
    if (i >= 0) this.list.splice(i, 1);
    this.#bytes -= seg.size;
    if (this.#cache?.firstId === seg.firstId) this.#cache = undefined;
    try {
      this.#fs.unlink(seg.path);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
    }
  }

  fsyncDir(): void {
    fsyncDir(this.#fs, this.#dir);
  }

  /**
   * The records of `seg` above `floor`, from the cache or its file (then cached when `cache`), and the
   * ids that vanished since open (see readEntries). Throws when the file cannot be read.
   */
  entries(seg: SegmentState, floor: number, cache: boolean): { entries: Entry[]; vanished: number[] } {
    if (this.#cache?.firstId === seg.firstId) return { entries: this.#cache.entries, vanished: [] };
    const got = readEntries(this.#fs, seg, floor);
    if (cache) this.#cache = { firstId: seg.firstId, entries: got.entries };
    return got;
  }

  /** Forgets cached records with ids ≤ `id`. */
  prune(id: number): void {
    if (!this.#cache) return;
    const k = this.#cache.entries.findIndex((e) => e.id > id);
    this.#cache.entries.splice(0, k < 0 ? this.#cache.entries.length : k);
  }
}
