/**
 * The disk buffer's state and mechanics: writing (with the bound's evictions and the degraded mode),
 * reading through the segment reader, persisting the position, the timers. The public API on top of it
 * is DiskBuffer (diskbuffer.ts); format, invariants, concurrency and durability are stated in index.ts;
 * recovery is in recovery.ts.
 */
import { join } from 'node:path';
import { SluiceError } from '../../common/errors.ts';
import { AckedAhead } from './acked.ts';
import { encodeRecord, SEAL_BYTES, SEGMENT_HEADER_BYTES } from './format.ts';
import { errnoOf, writeFileAtomic } from './fsys.ts';
import { InFlight } from './inflight.ts';
import type { Lock } from './lock.ts';
import { type BufferedRecord, type Entry, type Resolved, zeroCounters } from './options.ts';
import { MemoryOverflow } from './overflow.ts';
import { addDrop, type DropCounters, encodePosition, type Position } from './position.ts';
import { above, contains, type IdRange, normalize } from './ranges.ts';
import type { Loaded, SegmentReader } from './reader.ts';
import {
  POSITION_FILE,
  type Recovered,
  type RecoveryReport,
  type SegmentState,
  validAbove,
} from './recovery.ts';
import { SegmentLog } from './segments.ts';
/** State and mechanics of DiskBuffer (see the file header); not exported from index.ts. */
export abstract class BufferCore {
  protected readonly dir: string;
  protected readonly o: Resolved;
  protected readonly lock: Lock;
  protected readonly log: SegmentLog;
  protected readonly drops: DropCounters;
  protected readonly epoch: number;
  protected readonly report: RecoveryReport;
  protected lost: IdRange[];
  protected doneThrough: number;
  /** Acknowledged out of order, above doneThrough (ackOne). */
  protected readonly acked: AckedAhead;
  /** Records being sent, and those evicted meanwhile, answer pending (inflight.ts). */
  protected readonly inFlight = new InFlight();
  protected nextId: number;
  protected readonly overflow: MemoryOverflow;
  protected lastSync: number;
  protected lastPosition: number;
  protected positionDirty = false;
  protected timer: NodeJS.Timeout | undefined;
  protected closing: Promise<void> | undefined;
  protected lastError: string | undefined;
  protected lastCode: string | undefined;
  protected readonly counters = zeroCounters();

  protected constructor(dir: string, o: Resolved, lock: Lock, rec: Recovered, reader: SegmentReader) {
    const p = rec.position;
    this.dir = dir;
    this.o = o;
    this.lock = lock;
    // The next segment's prevId is the last id really on disk, so ids assigned but never written in
    // between (a crash mid-append) are classified `missing` by a later open, not `corrupt`.
    const lastOnDisk = rec.segments.at(-1)?.lastId ?? p.nextId - 1;
    this.log = new SegmentLog(o.fs, dir, rec.segments, lastOnDisk, o.segmentBytes, reader);
    this.report = rec.report;
    this.overflow = new MemoryOverflow(o.maxMemoryBytes, o.retryIntervalMs);
    this.drops = p.drops;
    this.epoch = p.epoch;
    this.lost = p.lost;
    this.doneThrough = p.doneThrough;
    this.acked = new AckedAhead(p.acked);
    this.nextId = p.nextId;
    this.lastSync = o.clock.monoMs();
    this.lastPosition = this.lastSync;
  }

  protected mustOpen(): void {
    if (this.closing) throw new SluiceError('SLC_ERR_DISKBUFFER_CLOSED', `disk buffer ${this.dir} is closed`);
  }

  /** Writes one record to disk; false (and degraded) when the disk refused it. */
  protected tryWrite(e: Entry): boolean {
    const record = encodeRecord(e.id, e.bytes, e.appendMs, e.meta);
    const sync = this.o.fsync === 'always';
    try {
      this.makeRoom(e.id, record.length);
      this.log.write(e, record, sync, this.o.fsync !== 'never');
    } catch (err) {
      this.enterDegraded(this.fsError(err), errnoOf(err) ?? 'EIO');
      return false;
    }
    if (sync) this.counters.fsyncs++;
    if (this.o.fsync === 'interval' && this.o.clock.monoMs() - this.lastSync >= this.o.fsyncIntervalMs)
      this.syncActive();
    return true;
  }

  /**
   * Evicts the oldest segments until `size` more bytes fit under maxBytes (never by age): each unacked
   * record in it is counted `disk_bound` with its meta, and the position moves past it.
   */
  protected makeRoom(id: number, size: number): void {
    for (;;) {
      // Room is kept for the seal of the segment written to (and of the one rolled from, if any).
      const extra = SEAL_BYTES + (this.log.needsNewSegment(id, size) ? SEGMENT_HEADER_BYTES + SEAL_BYTES : 0);
      if (this.log.bytes + size + extra <= this.o.maxBytes) return;
      const oldest = this.log.list[0];
      if (!oldest) return;
      const entries = this.entriesOf(oldest, false)?.entries;
      if (entries) {
        for (const e of entries)
          if (e.id > this.doneThrough && !this.acked.has(e.id) && !this.inFlight.defer(e))
            addDrop(this.drops.disk_bound, 1, e.size, e.meta);
      } else {
        const acked = this.acked.within(Math.max(oldest.firstValid, this.doneThrough + 1), oldest.lastId);
        addDrop(this.drops.disk_bound, validAbove(oldest, this.doneThrough) - acked, oldest.size);
      }
      this.doneThrough = Math.max(this.doneThrough, oldest.lastId);
      this.acked.clip(this.doneThrough);
      this.removeSegments([oldest], false);
    }
  }

  /**
   * Deletes segments whose records are all acknowledged or counted: position first (fsynced), then
   * unlink and fsync the directory (Vector PR #25570). If the position cannot be written (disk full),
   * the unlink still happens, since freeing space must not need space (OTel #7198), and the position is
   * tried again right after; a crash in between makes the next open count these ids as `missing`.
   * `acked`: every record in them was acknowledged (not evicted), so their read buffers are reused.
   */
  protected removeSegments(segs: SegmentState[], acked: boolean): void {
    const persisted = this.persistPosition();
    for (const seg of segs) {
      try {
        this.log.remove(seg, acked);
      } catch (err) {
        this.fsError(err);
      }
    }
    try {
      this.log.fsyncDir();
    } catch (err) {
      this.fsError(err);
    }
    if (!persisted) this.persistPosition();
  }

  /** The records of `seg` above the position, or undefined when its file cannot be read. */
  protected entriesOf(seg: SegmentState, keep: boolean): Loaded | undefined {
    let got: Loaded;
    try {
      got = this.log.entries(seg, this.doneThrough, keep);
    } catch (err) {
      this.fsError(err);
      return undefined;
    }
    // Damage found by this read (a sealed segment's records are first read here, not at open; or bit
    // rot since): count what vanished, once (it is now a hole; and in `lost`, so an earlier run's count
    // of it is not repeated when a reopen trusts the seal again); a record acked already is no loss.
    for (const v of got.vanished) {
      if (this.acked.has(v.id) || contains(this.lost, v.id)) continue;
      addDrop(this.drops.corrupt, 1, v.size, v.meta);
      this.lost = normalize([...this.lost, [v.id, v.id]]);
      this.positionDirty = true;
    }
    return got;
  }

  /** The unacknowledged record `id` (reads its segment unless cached: for rare uses, like a drop). */
  protected recordById(id: number): Entry | undefined {
    const seg = this.log.list.find((s) => s.firstValid <= id && id <= s.lastId);
    const found = seg && this.entriesOf(seg, false)?.entries.find((e) => e.id === id);
    return found ?? this.overflow.items.find((e) => e.id === id);
  }

  protected pushOverflow(e: Entry): void {
    for (const x of this.overflow.push(e)) {
      if (this.acked.has(x.id)) continue;
      addDrop(this.drops.memory_overflow, 1, x.size, x.meta);
      this.lost = normalize([...this.lost, [x.id, x.id]]);
      this.positionDirty = true;
    }
  }

  /** While degraded: write memory to disk again, oldest first, at most every retryIntervalMs. */
  protected maybeRetry(force: boolean): void {
    if (!this.overflow.due(this.o.clock.monoMs(), force)) return;
    if (this.positionDirty && !this.persistPosition()) return;
    for (let e = this.overflow.peek(); e; e = this.overflow.peek()) {
      if (!this.tryWrite(e)) return;
      this.overflow.shift();
    }
    if (this.overflow.degraded) this.counters.recoveredFromDegraded++;
    this.overflow.degraded = undefined;
  }

  protected enterDegraded(message: string, code: string): void {
    this.counters.writeErrors++;
    this.overflow.refuse(code, message, this.o.clock.monoMs());
  }

  /** Records a filesystem error (rethrows anything that is not one: a bug). */
  protected fsError(err: unknown): string {
    this.lastCode = errnoOf(err);
    if (this.lastCode === undefined) throw err;
    this.lastError = String((err as Error).message ?? err);
    return this.lastError;
  }

  protected syncActive(): void {
    try {
      if (this.log.sync()) this.counters.fsyncs++;
    } catch (err) {
      this.enterDegraded(this.fsError(err), errnoOf(err) ?? 'EIO');
    }
    this.lastSync = this.o.clock.monoMs();
  }

  protected persistPosition(): boolean {
    const done = this.doneThrough;
    this.lost = normalize(above(this.lost, done));
    this.acked.clip(done);
    const p: Position = {
      epoch: this.epoch,
      doneThrough: done,
      nextId: this.nextId,
      ...this.log.head(done),
      drops: this.drops,
      lost: this.lost,
      acked: this.acked.ranges,
      evicting: this.inFlight.evicted,
    };
    try {
      writeFileAtomic(this.o.fs, this.dir, join(this.dir, POSITION_FILE), encodePosition(p));
    } catch (err) {
      this.counters.positionWriteErrors++;
      this.fsError(err);
      this.positionDirty = true;
      return false;
    }
    this.counters.positionWrites++;
    this.positionDirty = false;
    this.lastPosition = this.o.clock.monoMs();
    return true;
  }

  /** One timer for the interval fsync and the position; unref'd (never keeps the process alive). */
  protected schedule(): void {
    if (this.timer || this.closing) return;
    const syncDue = this.o.fsync === 'interval' && this.log.dirty;
    if (!syncDue && !this.positionDirty) return;
    const delay = Math.min(
      syncDue ? this.o.fsyncIntervalMs : Number.POSITIVE_INFINITY,
      this.positionDirty ? this.o.positionIntervalMs : Number.POSITIVE_INFINITY,
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closing) return;
      if (this.o.fsync === 'interval') this.syncActive();
      if (this.positionDirty) this.persistPosition();
      this.schedule();
    }, delay);
    this.timer.unref();
  }
}

/** The record as handed out; `copy`: its bytes are a view of a buffer that is reused (reader.ts). */
export function publicOf(e: Entry, copy = false): BufferedRecord {
  const bytes = copy ? Uint8Array.prototype.slice.call(e.bytes) : e.bytes;
  return { id: e.id, bytes, appendMs: e.appendMs, meta: e.meta };
}
