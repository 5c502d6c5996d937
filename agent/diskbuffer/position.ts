/**
 * The position file (`position`): the reader's cursor and the cumulative drop counters, as one line of
 * JSON followed by a line holding the CRC32 of that JSON in hex. Written only by replacing the whole file
 * (temp + fsync + rename + fsync of the directory, fsys.ts writeFileAtomic), so a crash leaves the old or the
 * new file; the CRC catches damage at rest. Pure encode/decode here.
 *
 * `doneThrough` is the authority: every record id ≤ doneThrough is acknowledged or was dropped and
 * counted. `segment` + `offset` say where the first record after it starts (a hint for operators and a
 * consistency check on open; recovery re-derives it from the segments). `nextId` is a floor for the next
 * record id, so ids are not reused after the segments holding them were deleted, and ids between the
 * last one on disk and it are known to have existed (appended, then lost before reaching the disk).
 * `epoch` names this incarnation of the drop counters: it is created with them and kept as long as they
 * are, so a reader of the (reported) totals can tell "counters restarted from 0" from "nothing new".
 */
import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { RecordMeta } from './format.ts';
import { type Evicting, MAX_IN_FLIGHT } from './inflight.ts';

/** Why records left the buffer without being acknowledged. */
export type DropReason =
  /** The byte bound (maxBytes) evicted the oldest segment. */
  | 'disk_bound'
  /** The disk was unwritable and the in-memory overflow queue was full: its oldest record went. */
  | 'memory_overflow'
  /** One record larger than the bound allows. */
  | 'too_large'
  /** A complete record failed its checksum, or damage covered records (counted by the id gap). */
  | 'corrupt'
  /** The last record of the newest segment was cut short (a crash mid-write). */
  | 'torn_tail'
  /** Records named by the position but in no segment file (a segment deleted or lost outside our order). */
  | 'missing'
  /** Records held only in memory (overflow) when close() could still not write them. */
  | 'lost_on_close'
  /** The consumer acknowledged the record as refused for good (ingest's permanent 4xx: ackDropped). */
  | 'rejected_4xx';

export const DROP_REASONS: readonly DropReason[] = [
  'disk_bound',
  'memory_overflow',
  'too_large',
  'corrupt',
  'torn_tail',
  'missing',
  'lost_on_close',
  'rejected_4xx',
];

export interface DropCounter {
  records: number;
  /** Bytes of the records as stored (header + payload) where known, else the bytes discarded. */
  bytes: number;
  /** Sum of the callers' per-record sample counts, over the records whose meta was readable. */
  samples: number;
  /** Time range (callers' sample times) of those records; undefined when none carried one. */
  minTimeMs: number | undefined;
  maxTimeMs: number | undefined;
}

export type DropCounters = Record<DropReason, DropCounter>;

export function emptyDrops(): DropCounters {
  const out = {} as DropCounters;
  for (const r of DROP_REASONS)
    out[r] = { records: 0, bytes: 0, samples: 0, minTimeMs: undefined, maxTimeMs: undefined };
  return out;
}

/** Adds `records` records of `bytes` bytes (and their meta, when known) to one counter. */
export function addDrop(c: DropCounter, records: number, bytes: number, meta?: RecordMeta): void {
  c.records += records;
  c.bytes += bytes;
  if (!meta) return;
  c.samples += meta.samples;
  c.minTimeMs = c.minTimeMs === undefined ? meta.minTimeMs : Math.min(c.minTimeMs, meta.minTimeMs);
  c.maxTimeMs = c.maxTimeMs === undefined ? meta.maxTimeMs : Math.max(c.maxTimeMs, meta.maxTimeMs);
}

/** A new drop-counter epoch: random, non-zero, a safe integer (48 bits). */
export function newEpoch(): number {
  return randomInt(1, 2 ** 48);
}

export interface Position {
  /** The drop counters' incarnation (see the header); absent in files written before it existed. */
  epoch: number;
  doneThrough: number;
  nextId: number;
  segment: number;
  offset: number;
  drops: DropCounters;
  /**
   * Id ranges above doneThrough already counted as dropped (damage found by an earlier open, overflow
   * drops): a later open that finds the same ids missing does not count them again. Bounded (see
   * MAX_LOST_RANGES in ranges.ts).
   */
  lost: Array<[number, number]>;
  /**
   * Id ranges above doneThrough acknowledged out of order (DiskBuffer.ackOne, acked.ts): not read again.
   * Absent in files written before it existed (= none). Bounded like `lost`.
   */
  acked?: Array<[number, number]>;
  /**
   * Records the bound evicted while they were being sent, not yet counted (inflight.ts): the next open
   * counts them `disk_bound`. Absent or empty: none.
   */
  evicting?: Evicting[];
}

export function encodePosition(p: Position): Uint8Array {
  const { evicting, ...rest } = p;
  const json = JSON.stringify({ v: 1, ...rest, ...(evicting?.length ? { evicting } : {}) });
  return Buffer.from(`${json}\n${crc32(json).toString(16)}\n`);
}

function isCounter(x: unknown): x is DropCounter {
  const c = x as DropCounter;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isSafeInteger(c.records) &&
    Number.isSafeInteger(c.bytes) &&
    Number.isSafeInteger(c.samples)
  );
}

/** Id ranges from JSON (absent: none); undefined when malformed. */
function rangesOf(v: unknown): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (const r of Array.isArray(v) ? v : []) {
    if (!Array.isArray(r) || !Number.isSafeInteger(r[0]) || !Number.isSafeInteger(r[1]) || r[0] > r[1])
      return undefined;
    out.push([r[0], r[1]]);
  }
  return out;
}

/** Held evictions from JSON (absent: none); undefined when malformed. */
function evictingOf(v: unknown): Evicting[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_IN_FLIGHT) return undefined;
  const out: Evicting[] = [];
  for (const x of v as Array<Record<string, unknown>>) {
    if (!Number.isSafeInteger(x?.id) || !Number.isSafeInteger(x?.size)) return undefined;
    const m = x.meta as RecordMeta | undefined;
    const meta =
      m &&
      Number.isSafeInteger(m.samples) &&
      typeof m.minTimeMs === 'number' &&
      typeof m.maxTimeMs === 'number'
        ? { samples: m.samples, minTimeMs: m.minTimeMs, maxTimeMs: m.maxTimeMs }
        : undefined;
    out.push({ id: x.id as number, size: x.size as number, ...(meta ? { meta } : {}) });
  }
  return out;
}

/** The position in `bytes`, or undefined when it is damaged or not ours. */
export function decodePosition(bytes: Uint8Array): Position | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const [json, crc] = text.split('\n');
  if (json === undefined || crc === undefined || crc32(json).toString(16) !== crc) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json);
  } catch {
    return undefined;
  }
  const ints = ['doneThrough', 'nextId', 'segment', 'offset'] as const;
  if (o.v !== 1 || ints.some((k) => !Number.isSafeInteger(o[k]) || (o[k] as number) < 0)) return undefined;
  const drops = emptyDrops();
  const given = (o.drops ?? {}) as Record<string, unknown>;
  for (const r of DROP_REASONS) {
    const c = given[r];
    if (c === undefined) continue;
    if (!isCounter(c)) return undefined;
    drops[r] = {
      records: c.records,
      bytes: c.bytes,
      samples: c.samples,
      minTimeMs: typeof c.minTimeMs === 'number' ? c.minTimeMs : undefined,
      maxTimeMs: typeof c.maxTimeMs === 'number' ? c.maxTimeMs : undefined,
    };
  }
  const lost = rangesOf(o.lost);
  const acked = rangesOf(o.acked);
  const evicting = evictingOf(o.evicting);
  if (!lost || !acked || !evicting) return undefined;
  const epoch = Number.isSafeInteger(o.epoch) && (o.epoch as number) > 0 ? (o.epoch as number) : newEpoch();
  return {
    epoch,
    lost,
    ...(acked.length > 0 ? { acked } : {}),
    ...(evicting.length > 0 ? { evicting } : {}),
    doneThrough: o.doneThrough as number,
    nextId: o.nextId as number,
    segment: o.segment as number,
    offset: o.offset as number,
    drops,
  };
}
