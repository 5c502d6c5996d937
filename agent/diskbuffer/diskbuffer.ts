/**
 * The disk buffer's public API (open, append, read, ack, ackOne, ackDropped, sending/sent, flush, stats,
 * close); the state and mechanics under it (writes, bound, degraded mode, position, timers) are in
 * core.ts. Format, invariants, concurrency and durability are stated in index.ts; recovery is in
 * recovery.ts.
 */
import { InvariantViolation } from '../../common/errors.ts';
import type { PayloadBuffer } from '../buffer.ts';
import { BufferPool } from './bufpool.ts';
import { BufferCore, publicOf } from './core.ts';
import {
  MAX_RECORD_PAYLOAD,
  RECORD_HEADER_BYTES,
  type RecordMeta,
  SEAL_BYTES,
  SEGMENT_HEADER_BYTES,
} from './format.ts';
import { acquireLock, type Lock } from './lock.ts';
import {
  type BufferedRecord,
  type DiskBufferOptions,
  type DiskBufferStats,
  type Entry,
  type Resolved,
  resolveOptions,
} from './options.ts';
import { addDrop } from './position.ts';
import { SegmentReader } from './reader.ts';
import { cleanUp, type Recovered, recover, validAbove } from './recovery.ts';

/** The durable disk buffer; see index.ts. Implements the agent's PayloadBuffer (ack is cumulative). */
export class DiskBuffer extends BufferCore implements PayloadBuffer {
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
      if (!buf.persistPosition()) buf.enterDegraded(buf.lastError ?? '', buf.lastCode ?? 'EIO');
      cleanUp(o.fs, dir, rec, (err) => buf.fsError(err));
      return buf;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private constructor(dir: string, o: Resolved, lock: Lock, rec: Recovered, reader: SegmentReader) {
    super(dir, o, lock, rec, reader);
  }

  get count(): number {
    return this.log.count(this.doneThrough) + this.overflow.length - this.acked.count;
  }

  get bytes(): number {
    return this.log.bytes + this.overflow.bytes;
  }

  /**
   * Adds one record at the tail and returns its id (ids increase by one per stored record; 0 = dropped
   * as too large, counted). Never throws for disk trouble: a refused write degrades to memory (bounded,
   * counted) and is retried later. Delivery: once append returns, the record is read back until acked —
   * durable against kill -9 always, against a power cut per the fsync policy (index.ts).
   */
  append(bytes: Uint8Array, meta?: RecordMeta): number {
    this.mustOpen();
    const size = RECORD_HEADER_BYTES + bytes.length;
    if (bytes.length > MAX_RECORD_PAYLOAD || SEGMENT_HEADER_BYTES + size + SEAL_BYTES > this.o.maxBytes) {
      addDrop(this.drops.too_large, 1, size, meta);
      this.positionDirty = true;
      return 0;
    }
    const e: Entry = {
      id: this.nextId++,
      bytes: Uint8Array.prototype.slice.call(bytes),
      appendMs: this.o.clock.wallMs(),
      meta,
      size,
      offset: -1,
    };
    this.counters.appended++;
    this.maybeRetry(false);
    if (this.overflow.active) this.pushOverflow(e);
    else if (!this.tryWrite(e)) this.pushOverflow(e);
    this.schedule();
    return e.id;
  }

  /**
   * Up to `max` unacknowledged records, oldest first, without removing them (disk, then memory). A
   * record's `bytes` stay valid until it is acknowledged (they may be a view of a reused read buffer,
   * bufpool.ts): copy them to keep them longer.
   */
  read(max: number): BufferedRecord[] {
    this.mustOpen();
    this.maybeRetry(false);
    const out: BufferedRecord[] = [];
    for (const seg of this.log.list) {
      if (out.length >= max) return out;
      if (validAbove(seg, this.doneThrough) === 0) continue;
      const got = this.entriesOf(seg, true);
      for (const e of got?.entries ?? []) {
        if (out.length >= max) return out;
        if (e.id > this.doneThrough && !this.acked.has(e.id)) out.push(publicOf(e, got?.transient));
      }
    }
    for (const e of this.overflow.items) {
      if (out.length >= max) break;
      if (e.id > this.doneThrough && !this.acked.has(e.id)) out.push(publicOf(e));
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
    this.mustOpen();
    if (!Number.isSafeInteger(id)) throw new RangeError(`ack(${id})`);
    if (id <= this.doneThrough) return;
    if (id >= this.nextId) throw new InvariantViolation(`ack(${id}) beyond the last id ${this.nextId - 1}`);
    // Records acknowledged out of order right after `id` are done too.
    const through = this.acked.runAfter(id);
    this.doneThrough = through;
    this.acked.clip(through);
    this.positionDirty = true;
    this.overflow.ackThrough(through);
    this.log.prune(through);
    const done = this.log.list.filter((s) => !this.log.isActive(s) && validAbove(s, through) === 0);
    if (done.length) this.removeSegments(done, true);
    else if (this.o.clock.monoMs() - this.lastPosition >= this.o.positionIntervalMs) this.persistPosition();
    this.maybeRetry(false);
    this.schedule();
  }

  /**
   * Acknowledges the one record `id` like ackOne() (the sender's lanes refuse records in any order), and
   * counts it as dropped for `reason`, with the meta it was appended with. The count and the ack are persisted
   * together, at once: a crash before that re-delivers the record (refused again, counted then), never
   * counts it twice and never loses the count. An id already acked or dropped is a no-op.
   */
  ackDropped(id: number, reason: 'rejected_4xx'): void {
    this.mustOpen();
    if (!Number.isSafeInteger(id)) throw new RangeError(`ackDropped(${id})`);
    const evicted = this.inFlight.answered(id);
    if (evicted) {
      // Evicted by the bound while it was being sent, refused since: counted for the refusal only.
      addDrop(this.drops[reason], 1, evicted.size, evicted.meta);
      this.persistPosition();
      return;
    }
    if (id <= this.doneThrough || this.acked.has(id)) return;
    if (id >= this.nextId) throw new InvariantViolation(`ackDropped(${id}) beyond the last id`);
    // Counted before ackOne() may persist the position (deleting a segment): never an ack without it.
    const known = this.recordById(id);
    addDrop(this.drops[reason], 1, known ? RECORD_HEADER_BYTES + known.bytes.length : 0, known?.meta);
    this.ackOne(id);
    this.persistPosition();
  }

  /**
   * Acknowledges the one record `id`, in any order (ack() is cumulative): the agent's live lane acks the
   * newest payloads while its backfill lane drains the oldest with several requests in flight. The read
   * position then moves to just before the oldest record still pending; records acknowledged above it
   * are skipped by read() and kept in the position (`acked`), so a crash re-delivers at most the acks of
   * the last positionIntervalMs, which ingest's (agentId, seq) dedup absorbs. Already acknowledged: no-op.
   */
  ackOne(id: number): void {
    this.mustOpen();
    if (!Number.isSafeInteger(id)) throw new RangeError(`ackOne(${id})`);
    if (this.inFlight.answered(id)) {
      // Evicted by the bound while it was being sent, and delivered after all: no drop (inflight.ts).
      this.persistPosition();
      return;
    }
    if (id <= this.doneThrough || this.acked.has(id)) return;
    if (id >= this.nextId)
      throw new InvariantViolation(`ackOne(${id}) beyond the last id ${this.nextId - 1}`);
    this.acked.add(id);
    this.positionDirty = true;
    const head = this.read(1)[0];
    const through = head ? head.id - 1 : this.nextId - 1;
    if (through > this.doneThrough) {
      this.ack(through);
      return;
    }
    if (this.o.clock.monoMs() - this.lastPosition >= this.o.positionIntervalMs) this.persistPosition();
    this.schedule();
  }

  /**
   * Record `id` is being sent, until sent(id). If the byte bound evicts it meanwhile it is counted only
   * once the outcome is known (inflight.ts): not at all when ackOne(id) follows (delivered), for
   * ackDropped's reason when that follows, else `disk_bound` at sent(id). Without these calls a record
   * evicted in flight is counted `disk_bound` at eviction, even if its send then succeeds.
   */
  sending(id: number): void {
    if (!this.closing) this.inFlight.sending(id);
  }

  /** The send of `id` is over, whatever its outcome (after its ackOne/ackDropped, if any). See sending(). */
  sent(id: number): void {
    if (this.closing) return; // close() counted what was still held
    const e = this.inFlight.sent(id);
    if (!e) return;
    addDrop(this.drops.disk_bound, 1, e.size, e.meta);
    this.persistPosition();
  }

  /** fdatasync pending writes and persist the position now (regardless of the intervals). */
  flush(): void {
    this.mustOpen();
    this.syncActive();
    if (this.positionDirty) this.persistPosition();
  }

  /** Tries the disk again now when degraded (instead of waiting for retryIntervalMs). */
  retryNow(): void {
    this.mustOpen();
    this.maybeRetry(true);
  }

  stats(): DiskBufferStats {
    const head = this.closing ? undefined : this.read(1)[0];
    return {
      bytes: this.bytes,
      diskBytes: this.log.bytes,
      memoryBytes: this.overflow.bytes,
      records: this.count,
      memoryRecords: this.overflow.length,
      segments: this.log.list.length,
      oldestAppendMs: head?.appendMs,
      nextId: this.nextId,
      doneThrough: this.doneThrough,
      drops: structuredClone(this.drops),
      epoch: this.epoch,
      recovery: { ...this.report },
      degraded: this.overflow.degraded ? { ...this.overflow.degraded } : undefined,
      counters: { ...this.counters },
      lastError: this.lastError,
    };
  }

  /**
   * Idempotent. Writes what memory holds if the disk takes it (else counts it `lost_on_close`), syncs
   * (unless fsync 'never'), persists the position and releases the lock. Each step runs even if an
   * earlier one failed.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      try {
        this.maybeRetry(true);
      } catch (err) {
        this.fsError(err);
      }
      for (const e of this.overflow.clear()) {
        if (this.acked.has(e.id)) continue;
        addDrop(this.drops.lost_on_close, 1, e.size, e.meta);
        this.lost.push([e.id, e.id]);
      }
      // Evicted while being sent and still unanswered: the sends are over without an ack.
      for (const e of this.inFlight.clear()) addDrop(this.drops.disk_bound, 1, e.size, e.meta);
      try {
        this.log.seal(this.o.fsync !== 'never');
      } catch (err) {
        this.fsError(err);
      }
      this.persistPosition();
      await this.lock.release();
    })();
    return this.closing;
  }
}
