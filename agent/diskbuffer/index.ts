/**
 * The agent's durable disk buffer: a library with a narrow API (STYLE 5). The only public entry.
 *
 *   const buf = await open(dir, { maxBytes, fsync: 'interval' });
 *   const id = buf.append(payloadBytes, { samples, minTimeMs, maxTimeMs }); // meta optional
 *   for (const r of buf.read(10)) { send(r.bytes); buf.ack(r.id); }       // peek, then ack
 *   // r.bytes stay valid until r is acknowledged (views of reused read buffers): copy to keep longer
 *   buf.ackOne(id);                                   // one record, in any order
 *   buf.sending(id); … buf.sent(id);                  // a send in flight: eviction counts by its outcome
 *   buf.stats();  await buf.close();
 *   inspect(dir); peek(dir); holder(dir);   // read-only, no lock taken: for operators (inspect.ts)
 *
 * `DiskBuffer` implements the agent's `PayloadBuffer` (agent/buffer.ts) as is: append/read/ack/count/
 * bytes, ackOne. ack(id) is cumulative (acks every id ≤ id); ackOne(id) acknowledges one record in any
 * order (the sender's live lane next to its backfill lane, agent-buffer-notes §4.8/§4.13): the ids
 * acknowledged above the read position are kept as ranges in the position (`acked`, acked.ts) and are
 * never read again; the position moves to just before the oldest record still pending.
 *
 * ON-DISK FORMAT (version 2, little-endian; constants in format.ts; version 1 segments are still read)
 *   dir/seg-<first record id, 16 hex>.log   segments, ordered by the id in the name (never by mtime)
 *   dir/position                             read position + drop counters (position.ts), JSON + CRC line
 *   dir/LOCK                                 who holds the directory: {pid, bootId, startTicks} (lock.ts)
 *   anything else                            ignored and counted (stats().recovery.junkFiles)
 * Segment = 32-byte header, then records back to back:
 *   header: magic u32 "SLSG" | version u16 = 2 | u16 0 | firstId u64 | prevId u64 | u32 0 | crc32(0..28) u32
 *   record: magic u32 "SLCR" | payload length u32 | id u64 | append time f64 (wall ms)
 *           | min sample time f64 | max sample time f64 | samples u32 | flags u32 (bit 0: meta present)
 *           | crc32(payload) u32 | crc32(bytes 0..52 of this header) u32 | payload
 *   seal (last 40 bytes of a segment closed cleanly, version 2 only; never followed by anything):
 *           magic u32 "ENDS" | u32 0 | firstId u64 | lastId u64 | dataEnd u64 (its own offset) | u32 0
 *           | crc32(0..36) u32. It states: records firstId..lastId, each once, fill [32, dataEnd). Its
 *           first byte differs from a record's, so a seal cut by a crash is junk, never a torn record.
 *           Written when the segment is rolled or at close (best effort: a failed write is cut back).
 * CRC is CRC-32/IEEE (zlib.crc32). The header CRC makes a flipped length detectable, so the scanner can
 * resync on the next valid record after damage instead of abandoning the file.
 *
 * INVARIANTS
 * - Record ids increase by one per stored record, within a segment without gaps; a gap between segments
 *   (prevId in the next header) is a range that never reached the disk. So every id above the position
 *   up to the highest id ever assigned is on disk or lost, and loss is counted by id, exactly. Ids are
 *   the buffer's own (not the agent's seq, which travels inside the payload); the id of an append that
 *   never returned (a crash before its segment had a header) may be given again after a restart.
 * - Files are only appended to, truncated back (a torn tail, or a failed append), or deleted whole;
 *   space is reclaimed only by unlinking whole segments, which needs no free space.
 * - A segment is deleted only after a position saying everything in it is acked or counted is on disk
 *   (except when that write fails for lack of space: see removeSegments in core.ts).
 * - Every record that leaves without an ack is in exactly one drop counter (stats().drops, persisted,
 *   cumulative): disk_bound, memory_overflow, too_large, corrupt, torn_tail, missing, lost_on_close,
 *   rejected_4xx (ackDropped). produced = acked + still buffered + Σ drops.records holds at every point
 *   (tests assert it), except for records the bound evicted while being sent (sending … sent,
 *   inflight.ts): held, with their meta and in the position (`evicting`), until the send's outcome says
 *   delivered (no drop), refused, or lost; a crash while held counts them lost on the next open.
 *   `epoch` (stats, position) names the counters' incarnation: new whenever they restart from zero.
 * - Bound by bytes, never by age: the wall clock is stamped on records for stats only; intervals use
 *   the monotonic clock; nothing is ordered, expired or deleted by time.
 *
 * CONCURRENCY
 * - One process per directory (lock.ts: kernel-held abstract socket + LOCK info; a stale LOCK of a dead
 *   pid is taken over). Within the process, one event loop: every call is synchronous and none may be
 *   made re-entrantly; there are no worker threads. The two timers (interval fsync, position) run on
 *   the same loop, are unref'd, and stop at close().
 *
 * DURABILITY (what a power cut or kernel crash can cost; kill -9 of the process costs nothing under
 * any policy, because every append is written to the kernel before it returns)
 * - 'always': fdatasync per append before it returns; new segments fsync file + directory. A power cut
 *   loses no record whose append returned; at most the record being written, counted `torn_tail`.
 * - 'interval' (default, fsyncIntervalMs = 1000): a power cut loses at most the records appended in the
 *   last fsyncIntervalMs (counted as `torn_tail`/`missing` on open when the position had seen their ids).
 * - 'never': whatever the page cache held (typically ≤ 30 s on Linux, dirty_expire_centisecs).
 * - Acks are persisted within positionIntervalMs (default 1 s): a crash re-delivers at most that much
 *   acknowledged data, which ingest's (agentId, seq) dedup absorbs. Never a loss.
 * - After a failed write or fsync the descriptor is abandoned (segment.ts); under 'interval'/'never' the
 *   kernel may have dropped dirty pages of that file already: that loss is within the policy's bound.
 *
 * DISK FULL / READ-ONLY: append never throws for it. The record stays in a bounded memory queue
 * (maxMemoryBytes; overflow drops the oldest there, counted `memory_overflow`), stats().degraded says
 * why, and the disk is tried again every retryIntervalMs (on append/read/ack) or on retryNow(); what
 * memory holds is written in order when the disk takes writes again. Records in memory die with the
 * process (counted `lost_on_close` on close; on a crash they show as `missing` if their ids reached
 * the position file).
 *
 * RECOVERY on open (recovery.ts): torn tail cut at the last valid record; damage mid-segment skipped by
 * resync; zero-length files and files with no valid record deleted; junk ignored; a missing, damaged or
 * contradictory position means "replay from the oldest record" (duplicates, never a wipe). Each counted
 * once per reason (the position keeps the counted ids, so a second open counts nothing again).
 * A segment whose header (version 2) and seal are valid and agree with its size and with the segments
 * before it is NOT read at open: only those 72 bytes are (agent-buffer-notes §4.9, §5.11). Damage to
 * its records is then found when they are read (read(), the bound's eviction): each record that does
 * not come back valid is counted `corrupt` then, once, with its size and meta when its header survived
 * (a hole from then on), and never if it was acknowledged already. Any other segment (version 1, no
 * seal because of a crash, a damaged header or seal) is read whole at open, as described above.
 * MEMORY, whatever the backlog: open holds one read buffer (a segment) and a few numbers per segment;
 * reads hold at most two segments' bytes (the oldest with unacknowledged records) in pooled buffers
 * (bufpool.ts, reader.ts), which is why read()'s bytes are only valid until their record is acked.
 */
import { DiskBuffer } from './diskbuffer.ts';
import type { DiskBufferOptions } from './options.ts';

export { DiskBuffer } from './diskbuffer.ts';
export type { RecordMeta } from './format.ts';
export { type FileSystem, nodeFs } from './fsys.ts';
export { type Holder, holder, type Inspection, inspect, type Peek, peek } from './inspect.ts';
export { BufferLockedError } from './lock.ts';
export type {
  BufferedRecord,
  Clock,
  DiskBufferOptions,
  DiskBufferStats,
  FsyncPolicy,
} from './options.ts';
export { DROP_REASONS, type DropCounter, type DropCounters, type DropReason } from './position.ts';
export type { RecoveryReport } from './recovery.ts';

/** Opens the buffer in `dir` (see DiskBuffer.open). */
export function open(dir: string, options?: DiskBufferOptions): Promise<DiskBuffer> {
  return DiskBuffer.open(dir, options);
}
