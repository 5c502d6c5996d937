/**
 * The active segment: the one file records are appended to. Owns its descriptor.
 *
 * Failure rule (the "fsyncgate" lesson, agent-buffer-notes §4.10): after a failed write or fsync the
 * descriptor is never used again. A failed append cuts the file back to its size before the record
 * (ftruncate needs no free space) and closes it; the record is then not on disk and the caller keeps
 * it in memory. The next append opens a new segment.
 */
import { join } from 'node:path';
import {
  encodeSeal,
  encodeSegmentHeader,
  payloadOf,
  type RecordMeta,
  SEAL_BYTES,
  SEGMENT_HEADER_BYTES,
  scanSegment,
  segmentName,
} from './format.ts';
import { type FileSystem, fsyncDir, writeAll } from './fsys.ts';
import type { Entry } from './options.ts';
import type { SegmentState } from './recovery.ts';

export class ActiveSegment {
  readonly state: SegmentState;
  readonly #fs: FileSystem;
  #fd: number | undefined;
  /** Bytes written since the last successful fdatasync. */
  #dirty = false;

  private constructor(fsys: FileSystem, state: SegmentState, fd: number) {
    this.#fs = fsys;
    this.state = state;
    this.#fd = fd;
  }

  /**
   * Creates `seg-<firstId>.log` with its header. `durable`: fsync the file and the directory, so the
   * new name survives a power cut. On failure nothing is left behind (best effort) and the error is thrown.
   */
  static create(
    fsys: FileSystem,
    dir: string,
    firstId: number,
    prevId: number,
    durable: boolean,
  ): ActiveSegment {
    const path = join(dir, segmentName(firstId));
    const fd = fsys.open(path, 'wx');
    try {
      writeAll(fsys, fd, encodeSegmentHeader({ firstId, prevId }));
      if (durable) {
        fsys.fdatasync(fd);
        fsyncDir(fsys, dir);
      }
    } catch (err) {
      try {
        fsys.close(fd);
        fsys.unlink(path);
      } catch {
        // The file may stay; recovery deletes a segment with no valid record.
      }
      throw err;
    }
    const state = {
      firstId,
      path,
      size: SEGMENT_HEADER_BYTES,
      firstValid: firstId,
      lastId: firstId - 1,
      holes: [],
    };
    return new ActiveSegment(fsys, state, fd);
  }

  get open(): boolean {
    return this.#fd !== undefined;
  }

  get dirty(): boolean {
    return this.#dirty;
  }

  get empty(): boolean {
    return this.state.lastId < this.state.firstValid;
  }

  /** Appends one encoded record with id `id`; returns its offset. `sync`: fdatasync before returning. */
  append(record: Uint8Array, id: number, sync: boolean): number {
    const fd = this.#mustFd();
    const offset = this.state.size;
    try {
      writeAll(this.#fs, fd, record);
      if (sync) this.#fs.fdatasync(fd);
    } catch (err) {
      try {
        this.#fs.ftruncate(fd, offset);
      } catch {
        // Recovery treats what is left as a torn tail (counted once, and the record is still in memory).
      }
      this.#abandon();
      throw err;
    }
    this.#dirty = !sync;
    this.state.size = offset + record.length;
    this.state.lastId = id;
    return offset;
  }

  /** fdatasync when something was written since the last one; a failure abandons the descriptor. */
  sync(): boolean {
    if (!this.#dirty || this.#fd === undefined) return false;
    try {
      this.#fs.fdatasync(this.#fd);
    } catch (err) {
      this.#abandon();
      throw err;
    }
    this.#dirty = false;
    return true;
  }

  /**
   * Writes the seal record when `summary` and the segment holds records (format.ts Seal: the next open
   * reads it instead of the records), syncs (when `durable`) and closes. Idempotent. Returns the bytes
   * added. The seal is best effort: a failed write is cut back (else recovery finds junk after the
   * last record and ignores it), and the next open then reads the segment whole.
   */
  seal(durable: boolean, summary = true): number {
    if (this.#fd === undefined) return 0;
    let added = 0;
    try {
      if (summary && !this.empty) added = this.#writeSeal(this.#fd);
      if (durable) this.sync();
    } finally {
      this.#abandon();
    }
    return added;
  }

  #writeSeal(fd: number): number {
    const st = this.state;
    try {
      writeAll(this.#fs, fd, encodeSeal({ firstId: st.firstValid, lastId: st.lastId, dataEnd: st.size }));
    } catch {
      try {
        this.#fs.ftruncate(fd, st.size);
      } catch {
        // Left as junk after the last record: ignored, or cut if this is the newest segment.
      }
      return 0;
    }
    this.#dirty = true;
    st.size += SEAL_BYTES;
    return SEAL_BYTES;
  }

  #abandon(): void {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd === undefined) return;
    try {
      this.#fs.close(fd);
    } catch {
      // Nothing more to do with it.
    }
  }

  #mustFd(): number {
    if (this.#fd === undefined) throw new Error(`segment ${this.state.path} is closed`);
    return this.#fd;
  }
}

/** A record the segment held at open and that is no longer valid: size and meta when its header is. */
export interface Vanished {
  id: number;
  size: number;
  meta?: RecordMeta;
}

/**
 * The valid records of a (sealed or active) segment with ids above `floor`, read from its file into
 * `into` (their bytes are views of it: see bufpool.ts), and the ids the segment held at open that are
 * no longer valid (`vanished`: damaged since; added to its holes). `into` must hold segmentSize(seg).
 * Throws the filesystem's error when the file cannot be read.
 */
export function readEntries(
  fsys: FileSystem,
  seg: SegmentState,
  floor: number,
  into: Uint8Array,
): { entries: Entry[]; vanished: Vanished[] } {
  const buf = into.subarray(0, fsys.readInto(seg.path, into, into.length));
  const holes = new Set(seg.holes);
  const entries: Entry[] = [];
  const scan = scanSegment(buf);
  for (const r of scan.records) {
    if (r.id < seg.firstValid || r.id > seg.lastId || holes.has(r.id) || r.id <= floor) continue;
    entries.push({
      id: r.id,
      bytes: payloadOf(buf, r),
      appendMs: r.appendMs,
      meta: r.meta,
      size: r.size,
      offset: r.offset,
    });
  }
  const found = new Set(entries.map((e) => e.id));
  // A record whose header survived says its size and meta (for the drop count).
  const bad = new Map<number, Vanished>();
  for (const d of scan.damage)
    if (d.kind === 'bad_payload' && d.id !== undefined)
      bad.set(d.id, { id: d.id, size: d.end - d.offset, ...(d.meta ? { meta: d.meta } : {}) });
  const vanished: Vanished[] = [];
  for (let id = Math.max(seg.firstValid, floor + 1); id <= seg.lastId; id++)
    if (!holes.has(id) && !found.has(id)) vanished.push(bad.get(id) ?? { id, size: 0 });
  if (vanished.length) seg.holes = [...seg.holes, ...vanished.map((v) => v.id)].sort((a, b) => a - b);
  return { entries, vanished };
}

/** Bytes to read for `seg`: its file's size now (stat), or what the driver counted when that fails. */
export function segmentSize(fsys: FileSystem, seg: SegmentState): number {
  return Math.max(fsys.size(seg.path) ?? seg.size, seg.size);
}
