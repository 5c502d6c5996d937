/**
 * The disk buffer's options (with their defaults and units), the records it hands out and its stats.
 */
import type { BufferedPayload } from '../buffer.ts';
import { RECORD_HEADER_BYTES, type RecordMeta, SEGMENT_HEADER_BYTES } from './format.ts';
import { type FileSystem, nodeFs } from './fsys.ts';
import type { DropCounters } from './position.ts';
import type { RecoveryReport } from './recovery.ts';

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface Clock {
  /** Monotonic milliseconds: every interval and retry decision. */
  monoMs(): number;
  /** Wall-clock milliseconds: only stamped on records (append time), never used to decide anything. */
  wallMs(): number;
}

export interface DiskBufferOptions {
  /** Bound on the segment files' bytes; over it the oldest segment is deleted and counted. Default 256 MiB. */
  maxBytes?: number;
  /** A segment is closed and a new one started at this size. Default 8 MiB, at most maxBytes / 2. */
  segmentBytes?: number;
  /** Default 'interval'. See index.ts for what a power cut can cost under each. */
  fsync?: FsyncPolicy;
  /** For fsync 'interval': the longest a written record waits for its fdatasync. Default 1000 ms. */
  fsyncIntervalMs?: number;
  /** Acks are persisted at most this long after they happen (a crash re-delivers at most these). Default 1000 ms. */
  positionIntervalMs?: number;
  /** Bound on records held in memory while the disk is unwritable. Default 32 MiB. */
  maxMemoryBytes?: number;
  /** While degraded, the disk is tried again at most this often (on append/read/ack). Default 10 s. */
  retryIntervalMs?: number;
  fs?: FileSystem;
  clock?: Clock;
}

export type Resolved = Required<DiskBufferOptions>;

export interface BufferedRecord extends BufferedPayload {
  /** Wall-clock time of the append (for stats only). */
  appendMs: number;
  meta: RecordMeta | undefined;
}

export interface Entry extends BufferedRecord {
  /** Header + payload bytes on disk. */
  size: number;
  offset: number;
}

export interface DiskBufferStats {
  /** Bytes of segment files plus bytes held in memory. */
  bytes: number;
  diskBytes: number;
  memoryBytes: number;
  /** Records not yet acknowledged (on disk and in memory). */
  records: number;
  memoryRecords: number;
  segments: number;
  /** Append time (wall clock, as stamped) of the oldest unacknowledged record. */
  oldestAppendMs: number | undefined;
  nextId: number;
  doneThrough: number;
  /** Cumulative (persisted across restarts) counts of records that left without an ack, per reason. */
  drops: DropCounters;
  /** Incarnation of `drops` (persisted with them; new when they restart from zero). */
  epoch: number;
  /** What the last open found. */
  recovery: RecoveryReport;
  /** Set while appends go to memory because the disk refused them. */
  degraded: { code: string; message: string; sinceMonoMs: number } | undefined;
  counters: {
    appended: number;
    fsyncs: number;
    positionWrites: number;
    writeErrors: number;
    positionWriteErrors: number;
    recoveredFromDegraded: number;
  };
  lastError: string | undefined;
}

const defaultClock: Clock = { monoMs: () => performance.now(), wallMs: () => Date.now() };

export function resolveOptions(o: DiskBufferOptions): Resolved {
  const maxBytes = o.maxBytes ?? 256 * 1024 * 1024;
  const r: Resolved = {
    maxBytes,
    segmentBytes: Math.min(o.segmentBytes ?? 8 * 1024 * 1024, Math.floor(maxBytes / 2)),
    fsync: o.fsync ?? 'interval',
    fsyncIntervalMs: o.fsyncIntervalMs ?? 1000,
    positionIntervalMs: o.positionIntervalMs ?? 1000,
    maxMemoryBytes: o.maxMemoryBytes ?? 32 * 1024 * 1024,
    retryIntervalMs: o.retryIntervalMs ?? 10_000,
    fs: o.fs ?? nodeFs,
    clock: o.clock ?? defaultClock,
  };
  if (!['always', 'interval', 'never'].includes(r.fsync)) throw new RangeError(`fsync policy ${r.fsync}`);
  if (r.segmentBytes < SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES + 1)
    throw new RangeError(`segmentBytes ${r.segmentBytes} (maxBytes ${maxBytes}) too small`);
  return r;
}

export function zeroCounters(): DiskBufferStats['counters'] {
  return {
    appended: 0,
    fsyncs: 0,
    positionWrites: 0,
    writeErrors: 0,
    positionWriteErrors: 0,
    recoveredFromDegraded: 0,
  };
}
