/**
 * The driver: segments on disk, the in-memory overflow, the position, the fsync policy and the bounds.
 * Format, invariants, concurrency and durability are stated in index.ts; recovery is in recovery.ts.
 */
import { join } from 'node:path';
import { InvariantViolation, SluiceError } from '../../common/errors.ts';
import type { PayloadBuffer } from '../buffer.ts';
import { AckedAhead } from './acked.ts';
import { BufferPool } from './bufpool.ts';
import {
  encodeRecord,
  MAX_RECORD_PAYLOAD,
  RECORD_HEADER_BYTES,
  type RecordMeta,
  SEGMENT_HEADER_BYTES,
} from './format.ts';
import { errnoOf, writeFileAtomic } from './fsys.ts';
import { InFlight } from './inflight.ts';
import { acquireLock, type Lock } from './lock.ts';
import {
  type BufferedRecord,
  type DiskBufferOptions,
  type DiskBufferStats,
  type Entry,
  type Resolved,
  resolveOptions,
  zeroCounters,
} from './options.ts';
import { MemoryOverflow } from './overflow.ts';
import { addDrop, type DropCounters, encodePosition, type Position } from './position.ts';
import { above, type IdRange, normalize } from './ranges.ts';
import { type Loaded, SegmentReader } from './reader.ts';
import {
  cleanUp,
  POSITION_FILE,
  type Recovered,
  type RecoveryReport,
  recover,
  type SegmentState,
  validAbove,
} from './recovery.ts';
import { SegmentLog } from './segments.ts';

/** The durable disk buffer; see index.ts. Implements the agent's PayloadBuffer (ack is cumulative). */
export class DiskBuffer implements PayloadBuffer {
  readonly dir: string;
  readonly #o: Resolved;
  readonly #lock: Lock;
  readonly #log: SegmentLog;
  readonly #drops: DropCounters;
  readonly #epoch: number;
  readonly #report: RecoveryReport;
  #lost: IdRange[];
  #doneThrough: number;
  /** Acknowledged out of order, above #doneThrough (ackOne). */
  readonly #acked: AckedAhead;
  /** Records being sent, and those evicted meanwhile, answer pending (inflight.ts). */
  readonly #inFlight = new InFlight();
  #nextId: number;
  readonly #overflow: MemoryOverflow;
  #lastSync: number;
  #lastPosition: number;
  #positionDirty = false;
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #lastError: string | undefined;
  #lastCode: string | undefined;
  readonly #counters = zeroCounters();

  /**
   * Opens (creating it if needed) the buffer in `dir`: takes the lock (throws BufferLockedError when
   * another live process holds it), recovers (see recovery.ts) and persists what recovery counted.
   * A directory that cannot be written opens degraded (appends go to memory).
   */
  static async open(dir: string, options: DiskBufferOptions = {}): Promise<DiskBuffer> {
    const o = resolveOptions(options);
    o.fs.mkdir(dir);
    const lock = await acquireLock(o.fs, dir);
    try {
      const pool = new BufferPool(o.segmentBytes);
      const rec = recover(o.fs, dir, pool);
      const buf = new DiskBuffer(dir, o, lock, rec, new SegmentReader(o.fs, pool));
      // Order: the counts first (so a crash here counts nothing twice), then cut and delete.
      if (!buf.#persistPosition()) buf.#enterDegraded(buf.#lastError ?? '', buf.#lastCode ?? 'EIO');
      cleanUp(o.fs, dir, rec, (err) => buf.#fsError(err));
      return buf;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private constructor(dir: string, o: Resolved, lock: Lock, rec: Recovered, reader: SegmentReader) {
    const p = rec.position;
    this.dir = dir;
    this.#o = o;
    this.#lock = lock;
    // The next segment's prevId is the last id really on disk, so ids assigned but never written in
    // between (a crash mid-append) are classified `missing` by a later open, not `corrupt`.
    const lastOnDisk = rec.segments.at(-1)?.lastId ?? p.nextId - 1;
    this.#log = new SegmentLog(o.fs, dir, rec.segments, lastOnDisk, o.segmentBytes, reader);
    this.#report = rec.report;
    this.#overflow = new MemoryOverflow(o.maxMemoryBytes, o.retryIntervalMs);
    this.#drops = p.drops;
    this.#epoch = p.epoch;
    this.#lost = p.lost;
    this.#doneThrough = p.doneThrough;
    this.#acked = new AckedAhead(p.acked);
    this.#nextId = p.nextId;
    this.#lastSync = o.clock.monoMs();
    this.#lastPosition = this.#lastSync;
  }

  get count(): number {
    return this.#log.count(this.#doneThrough) + this.#overflow.length - this.#acked.count;
  }

  get bytes(): number {
    return this.#log.bytes + this.#overflow.bytes;
  }

  /**
   * Adds one record at the tail and returns its id (ids increase by one per stored record; 0 = dropped
   * as too large, counted). Never throws for disk trouble: a refused write degrades to memory (bounded,
   * counted) and is retried later. Delivery: once append returns, the record is read back until acked —
   * durable against kill -9 always, against a power cut per the fsync policy (index.ts).
   */
  append(bytes: Uint8Array, meta?: RecordMeta): number {
    this.#mustOpen();
    const size = RECORD_HEADER_BYTES + bytes.length;
    if (bytes.length > MAX_RECORD_PAYLOAD || SEGMENT_HEADER_BYTES + size > this.#o.maxBytes) {
      addDrop(this.#drops.too_large, 1, size, meta);
      this.#positionDirty = true;
      return 0;
    }
    const e: Entry = {
      id: this.#nextId++,
      bytes: Uint8Array.prototype.slice.call(bytes),
      appendMs: this.#o.clock.wallMs(),
      meta,
      size,
      offset: -1,
    };
    this.#counters.appended++;
    this.#maybeRetry(false);
    if (this.#overflow.active) this.#pushOverflow(e);
    else if (!this.#tryWrite(e)) this.#pushOverflow(e);
    this.#schedule();
    return e.id;
  }

  /**
   * Up to `max` unacknowledged records, oldest first, without removing them (disk, then memory). A
   * record's `bytes` stay valid until it is acknowledged (they may be a view of a reused read buffer,
   * bufpool.ts): copy them to keep them longer.
   */
  read(max: number): BufferedRecord[] {
    this.#mustOpen();
    this.#maybeRetry(false);
    const out: BufferedRecord[] = [];
    for (const seg of this.#log.list) {
      if (out.length >= max) return out;
      if (validAbove(seg, this.#doneThrough) === 0) continue;
      const got = this.#entriesOf(seg, true);
      for (const e of got?.entries ?? []) {
        if (out.length >= max) return out;
        if (e.id > this.#doneThrough && !this.#acked.has(e.id)) out.push(publicOf(e, got?.transient));
      }
    }
    for (const e of this.#overflow.items) {
      if (out.length >= max) break;
      if (e.id > this.#doneThrough && !this.#acked.has(e.id)) out.push(publicOf(e));
    }
    return out;
  }

  /**
   * Acknowledges every record with an id ≤ `id` (cumulative, in id order: the consumer acks the oldest
   * record it has finished, as the agent's sender does with read(1)). An id at or below an earlier ack
   * is a no-op. Persisted within positionIntervalMs, so a crash re-delivers at most that much acked data
   * (ingest's (agentId, seq) dedup absorbs it). Whole segments behind the ack are deleted once the
   * position saying so is on disk.
   */
  ack(id: number): void {
    this.#mustOpen();
    if (!Number.isSafeInteger(id)) throw new RangeError(`ack(${id})`);
    if (id <= this.#doneThrough) return;
    if (id >= this.#nextId) throw new InvariantViolation(`ack(${id}) beyond the last id ${this.#nextId - 1}`);
    // Records acknowledged out of order right after `id` are done too.
    const through = this.#acked.runAfter(id);
    this.#doneThrough = through;
    this.#acked.clip(through);
    this.#positionDirty = true;
    this.#overflow.ackThrough(through);
    this.#log.prune(through);
    const done = this.#log.list.filter((s) => !this.#log.isActive(s) && validAbove(s, through) === 0);
    if (done.length) this.#removeSegments(done, true);
    else if (this.#o.clock.monoMs() - this.#lastPosition >= this.#o.positionIntervalMs)
      this.#persistPosition();
    this.#maybeRetry(false);
    this.#schedule();
  }

  /**
   * Acknowledges the one record `id` like ackOne() (the sender's lanes refuse records in any order), and
   * counts it as dropped for `reason`, with the meta it was appended with. The count and the ack are persisted
   * together, at once: a crash before that re-delivers the record (refused again, counted then), never
   * counts it twice and never loses the count. An id already acked or dropped is a no-op.
   */
  ackDropped(id: number, reason: 'rejected_4xx'): void {
    this.#mustOpen();
    if (!Number.isSafeInteger(id)) throw new RangeError(`ackDropped(${id})`);
    const evicted = this.#inFlight.answered(id);
    if (evicted) {
      // Evicted by the bound while it was being sent, refused since: counted for the refusal only.
      addDrop(this.#drops[reason], 1, evicted.size, evicted.meta);
      this.#persistPosition();
      return;
    }
    if (id <= this.#doneThrough || this.#acked.has(id)) return;
    if (id >= this.#nextId) throw new InvariantViolation(`ackDropped(${id}) beyond the last id`);
    // Counted before ackOne() may persist the position (deleting a segment): never an ack without it.
    const known = this.#recordById(id);
    addDrop(this.#drops[reason], 1, known ? RECORD_HEADER_BYTES + known.bytes.length : 0, known?.meta);
    this.ackOne(id);
    this.#persistPosition();
  }

  /**
   * Acknowledges the one record `id`, in any order (ack() is cumulative): the agent's live lane acks the
   * newest payloads while its backfill lane drains the oldest with several requests in flight. The read
   * position then moves to just before the oldest record still pending; records acknowledged above it
   * are skipped by read() and kept in the position (`acked`), so a crash re-delivers at most the acks of
   * the last positionIntervalMs, which ingest's (agentId, seq) dedup absorbs. Already acknowledged: no-op.
   */
  ackOne(id: number): void {
    this.#mustOpen();
    if (!Number.isSafeInteger(id)) throw new RangeError(`ackOne(${id})`);
    if (this.#inFlight.answered(id)) {
      // Evicted by the bound while it was being sent, and delivered after all: no drop (inflight.ts).
      this.#persistPosition();
      return;
    }
    if (id <= this.#doneThrough || this.#acked.has(id)) return;
    if (id >= this.#nextId)
      throw new InvariantViolation(`ackOne(${id}) beyond the last id ${this.#nextId - 1}`);
    this.#acked.add(id);
    this.#positionDirty = true;
    const head = this.read(1)[0];
    const through = head ? head.id - 1 : this.#nextId - 1;
    if (through > this.#doneThrough) {
      this.ack(through);
      return;
    }
    if (this.#o.clock.monoMs() - this.#lastPosition >= this.#o.positionIntervalMs) this.#persistPosition();
    this.#schedule();
  }

  /**
   * Record `id` is being sent, until sent(id). If the byte bound evicts it meanwhile it is counted only
   * once the outcome is known (inflight.ts): not at all when ackOne(id) follows (delivered), for
   * ackDropped's reason when that follows, else `disk_bound` at sent(id). Without these calls a record
   * evicted in flight is counted `disk_bound` at eviction, even if its send then succeeds.
   */
  sending(id: number): void {
    if (!this.#closing) this.#inFlight.sending(id);
  }

  /** The send of `id` is over, whatever its outcome (after its ackOne/ackDropped, if any). See sending(). */
  sent(id: number): void {
    if (this.#closing) return; // close() counted what was still held
    const e = this.#inFlight.sent(id);
    if (!e) return;
    addDrop(this.#drops.disk_bound, 1, e.size, e.meta);
    this.#persistPosition();
  }

  /** fdatasync pending writes and persist the position now (regardless of the intervals). */
  flush(): void {
    this.#mustOpen();
    this.#syncActive();
    if (this.#positionDirty) this.#persistPosition();
  }

  /** Tries the disk again now when degraded (instead of waiting for retryIntervalMs). */
  retryNow(): void {
    this.#mustOpen();
    this.#maybeRetry(true);
  }

  stats(): DiskBufferStats {
    const head = this.#closing ? undefined : this.read(1)[0];
    return {
      bytes: this.bytes,
      diskBytes: this.#log.bytes,
      memoryBytes: this.#overflow.bytes,
      records: this.count,
      memoryRecords: this.#overflow.length,
      segments: this.#log.list.length,
      oldestAppendMs: head?.appendMs,
      nextId: this.#nextId,
      doneThrough: this.#doneThrough,
      drops: structuredClone(this.#drops),
      epoch: this.#epoch,
      recovery: { ...this.#report },
      degraded: this.#overflow.degraded ? { ...this.#overflow.degraded } : undefined,
      counters: { ...this.#counters },
      lastError: this.#lastError,
    };
  }

  /**
   * Idempotent. Writes what memory holds if the disk takes it (else counts it `lost_on_close`), syncs
   * (unless fsync 'never'), persists the position and releases the lock. Each step runs even if an
   * earlier one failed.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#timer);
      try {
        this.#maybeRetry(true);
      } catch (err) {
        this.#fsError(err);
      }
      for (const e of this.#overflow.clear()) {
        if (this.#acked.has(e.id)) continue;
        addDrop(this.#drops.lost_on_close, 1, e.size, e.meta);
        this.#lost.push([e.id, e.id]);
      }
      // Evicted while being sent and still unanswered: the sends are over without an ack.
      for (const e of this.#inFlight.clear()) addDrop(this.#drops.disk_bound, 1, e.size, e.meta);
      try {
        this.#log.seal(this.#o.fsync !== 'never');
      } catch (err) {
        this.#fsError(err);
      }
      this.#persistPosition();
      await this.#lock.release();
    })();
    return this.#closing;
  }

  #mustOpen(): void {
    if (this.#closing)
      throw new SluiceError('SLC_ERR_DISKBUFFER_CLOSED', `disk buffer ${this.dir} is closed`);
  }

  /** Writes one record to disk; false (and degraded) when the disk refused it. */
  #tryWrite(e: Entry): boolean {
    const record = encodeRecord(e.id, e.bytes, e.appendMs, e.meta);
    const sync = this.#o.fsync === 'always';
    try {
      this.#makeRoom(e.id, record.length);
      this.#log.write(e, record, sync, this.#o.fsync !== 'never');
    } catch (err) {
      this.#enterDegraded(this.#fsError(err), errnoOf(err) ?? 'EIO');
      return false;
    }
    if (sync) this.#counters.fsyncs++;
    if (this.#o.fsync === 'interval' && this.#o.clock.monoMs() - this.#lastSync >= this.#o.fsyncIntervalMs)
      this.#syncActive();
    return true;
  }

  /**
   * Evicts the oldest segments until `size` more bytes fit under maxBytes (never by age): each unacked
   * record in it is counted `disk_bound` with its meta, and the position moves past it.
   */
  #makeRoom(id: number, size: number): void {
    for (;;) {
      const extra = this.#log.needsNewSegment(id, size) ? SEGMENT_HEADER_BYTES : 0;
      if (this.#log.bytes + size + extra <= this.#o.maxBytes) return;
      const oldest = this.#log.list[0];
      if (!oldest) return;
      const entries = this.#entriesOf(oldest, false)?.entries;
      if (entries) {
        for (const e of entries)
          if (e.id > this.#doneThrough && !this.#acked.has(e.id) && !this.#inFlight.defer(e))
            addDrop(this.#drops.disk_bound, 1, e.size, e.meta);
      } else {
        const acked = this.#acked.within(Math.max(oldest.firstValid, this.#doneThrough + 1), oldest.lastId);
        addDrop(this.#drops.disk_bound, validAbove(oldest, this.#doneThrough) - acked, oldest.size);
      }
      this.#doneThrough = Math.max(this.#doneThrough, oldest.lastId);
      this.#acked.clip(this.#doneThrough);
      this.#removeSegments([oldest], false);
    }
  }

  /**
   * Deletes segments whose records are all acknowledged or counted: position first (fsynced), then
   * unlink and fsync the directory (Vector PR #25570). If the position cannot be written (disk full),
   * the unlink still happens, since freeing space must not need space (OTel #7198), and the position is
   * tried again right after; a crash in between makes the next open count these ids as `missing`.
   * `acked`: every record in them was acknowledged (not evicted), so their read buffers are reused.
   */
  #removeSegments(segs: SegmentState[], acked: boolean): void {
    const persisted = this.#persistPosition();
    for (const seg of segs) {
      try {
        this.#log.remove(seg, acked);
      } catch (err) {
        this.#fsError(err);
      }
    }
    try {
      this.#log.fsyncDir();
    } catch (err) {
      this.#fsError(err);
    }
    if (!persisted) this.#persistPosition();
  }

  /** The records of `seg` above the position, or undefined when its file cannot be read. */
  #entriesOf(seg: SegmentState, keep: boolean): Loaded | undefined {
    let got: Loaded;
    try {
      got = this.#log.entries(seg, this.#doneThrough, keep);
    } catch (err) {
      this.#fsError(err);
      return undefined;
    }
    // Damage since open (bit rot at rest): count what vanished, once (it is now a hole).
    for (const id of got.vanished) {
      addDrop(this.#drops.corrupt, 1, 0);
      this.#lost = normalize([...this.#lost, [id, id]]);
      this.#positionDirty = true;
    }
    return got;
  }

  /** The unacknowledged record `id` (reads its segment unless cached: for rare uses, like a drop). */
  #recordById(id: number): Entry | undefined {
    const seg = this.#log.list.find((s) => s.firstValid <= id && id <= s.lastId);
    const found = seg && this.#entriesOf(seg, false)?.entries.find((e) => e.id === id);
    return found ?? this.#overflow.items.find((e) => e.id === id);
  }

  #pushOverflow(e: Entry): void {
    for (const x of this.#overflow.push(e)) {
      if (this.#acked.has(x.id)) continue;
      addDrop(this.#drops.memory_overflow, 1, x.size, x.meta);
      this.#lost = normalize([...this.#lost, [x.id, x.id]]);
      this.#positionDirty = true;
    }
  }

  /** While degraded: write memory to disk again, oldest first, at most every retryIntervalMs. */
  #maybeRetry(force: boolean): void {
    if (!this.#overflow.due(this.#o.clock.monoMs(), force)) return;
    if (this.#positionDirty && !this.#persistPosition()) return;
    for (let e = this.#overflow.peek(); e; e = this.#overflow.peek()) {
      if (!this.#tryWrite(e)) return;
      this.#overflow.shift();
    }
    if (this.#overflow.degraded) this.#counters.recoveredFromDegraded++;
    this.#overflow.degraded = undefined;
  }

  #enterDegraded(message: string, code: string): void {
    this.#counters.writeErrors++;
    this.#overflow.refuse(code, message, this.#o.clock.monoMs());
  }

  /** Records a filesystem error (rethrows anything that is not one: a bug). */
  #fsError(err: unknown): string {
    this.#lastCode = errnoOf(err);
    if (this.#lastCode === undefined) throw err;
    this.#lastError = String((err as Error).message ?? err);
    return this.#lastError;
  }

  #syncActive(): void {
    try {
      if (this.#log.sync()) this.#counters.fsyncs++;
    } catch (err) {
      this.#enterDegraded(this.#fsError(err), errnoOf(err) ?? 'EIO');
    }
    this.#lastSync = this.#o.clock.monoMs();
  }

  #persistPosition(): boolean {
    const done = this.#doneThrough;
    this.#lost = normalize(above(this.#lost, done));
    this.#acked.clip(done);
    const p: Position = {
      epoch: this.#epoch,
      doneThrough: done,
      nextId: this.#nextId,
      ...this.#log.head(done),
      drops: this.#drops,
      lost: this.#lost,
      acked: this.#acked.ranges,
      evicting: this.#inFlight.evicted,
    };
    try {
      writeFileAtomic(this.#o.fs, this.dir, join(this.dir, POSITION_FILE), encodePosition(p));
    } catch (err) {
      this.#counters.positionWriteErrors++;
      this.#fsError(err);
      this.#positionDirty = true;
      return false;
    }
    this.#counters.positionWrites++;
    this.#positionDirty = false;
    this.#lastPosition = this.#o.clock.monoMs();
    return true;
  }

  /** One timer for the interval fsync and the position; unref'd (never keeps the process alive). */
  #schedule(): void {
    if (this.#timer || this.#closing) return;
    const syncDue = this.#o.fsync === 'interval' && this.#log.dirty;
    if (!syncDue && !this.#positionDirty) return;
    const delay = Math.min(
      syncDue ? this.#o.fsyncIntervalMs : Number.POSITIVE_INFINITY,
      this.#positionDirty ? this.#o.positionIntervalMs : Number.POSITIVE_INFINITY,
    );
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closing) return;
      if (this.#o.fsync === 'interval') this.#syncActive();
      if (this.#positionDirty) this.#persistPosition();
      this.#schedule();
    }, delay);
    this.#timer.unref();
  }
}

/** The record as handed out; `copy`: its bytes are a view of a buffer that is reused (reader.ts). */
function publicOf(e: Entry, copy = false): BufferedRecord {
  const bytes = copy ? Uint8Array.prototype.slice.call(e.bytes) : e.bytes;
  return { id: e.id, bytes, appendMs: e.appendMs, meta: e.meta };
}
