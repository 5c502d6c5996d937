/**
 * A read-only look at a buffer directory, for operators (`sluice-agent status`) while no process has it
 * open: what open() would find — records and bytes waiting, the oldest record, the persisted drop
 * counters plus what the next open would count — without taking the lock and without writing,
 * truncating or deleting anything. The filesystem handed to recovery refuses every call that is not a
 * read (an InvariantViolation, a bug), so "read-only" is enforced, not promised.
 *
 * Also: who holds the directory (`holder`), from the LOCK file and the kernel's list of bound Unix
 * sockets (/proc/net/unix), again without binding the lock socket (binding it, even for an instant,
 * would make an agent starting at that instant fail).
 *
 * While a process has the directory open, its files change under the reader: use the holder's own
 * stats (the agent's /status) instead; `inspect` then still never writes, but may see a record being
 * appended as a torn tail.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvariantViolation } from '../../common/errors.ts';
import { BufferPool } from './bufpool.ts';
import { parseSegmentName, type RecordMeta, scanSegment } from './format.ts';
import { type FileSystem, nodeFs } from './fsys.ts';
import { holderAlive, type LockInfo, lockSocketName, readLockInfo } from './lock.ts';
import {
  DROP_REASONS,
  type DropCounters,
  type DropReason,
  decodePosition,
  type Position,
} from './position.ts';
import { POSITION_FILE, type RecoveryReport, recover, validAbove } from './recovery.ts';

export interface Inspection {
  dir: string;
  /** Valid records above the read position (what an open would deliver). */
  records: number;
  /** Bytes of the segment files an open would keep. */
  bytes: number;
  segments: number;
  /** The first record an open would deliver. */
  oldest: { id: number; appendMs: number; meta: RecordMeta | undefined } | undefined;
  doneThrough: number;
  nextId: number;
  /** Persisted totals plus what the next open will count (`pending`). */
  drops: DropCounters;
  /** Drops the next open will count (damage found now); all zero for a cleanly closed buffer. */
  pending: Partial<Record<DropReason, number>>;
  recovery: RecoveryReport;
  /** Wall-clock mtime of the position file (written on acks, at most once per positionIntervalMs). */
  positionWrittenMs: number | undefined;
}

function readOnly(fsys: FileSystem): FileSystem {
  const refuse = (call: string) => () => {
    throw new InvariantViolation(`disk buffer inspect is read-only: ${call} called`);
  };
  return {
    readdir: (p) => fsys.readdir(p),
    size: (p) => fsys.size(p),
    readFile: (p) => fsys.readFile(p),
    readInto: (p, into, length, position) => fsys.readInto(p, into, length, position),
    mkdir: refuse('mkdir'),
    open: refuse('open'),
    write: refuse('write'),
    fsync: refuse('fsync'),
    fdatasync: refuse('fdatasync'),
    ftruncate: refuse('ftruncate'),
    truncate: refuse('truncate'),
    close: refuse('close'),
    rename: refuse('rename'),
    unlink: refuse('unlink'),
  };
}

/** Initial size of inspect's read buffer (grown for a bigger segment): the default segment size. */
const SEGMENT_READ_BYTES = 8 * 1024 * 1024;

/**
 * What open(dir) would find, read-only (see the file header). Reads what open reads (the header and
 * seal of a sealed segment, every other segment whole, one at a time: memory is one segment) and the
 * oldest record's segment. Damage inside a sealed segment is not seen (open does not see it either; it
 * is counted when the records are read). Throws the filesystem's error when `dir` cannot be read
 * (ENOENT when it does not exist).
 */
export function inspect(dir: string, fsys: FileSystem = nodeFs): Inspection {
  const ro = readOnly(fsys);
  const rec = recover(ro, dir, new BufferPool(SEGMENT_READ_BYTES));
  const floor = rec.position.doneThrough;
  let oldest: Inspection['oldest'];
  const head = rec.segments.find((s) => validAbove(s, floor) > 0);
  if (head) {
    const holes = new Set(head.holes);
    const r = scanSegment(ro.readFile(head.path)).records.find(
      (x) => x.id > floor && x.id >= head.firstValid && x.id <= head.lastId && !holes.has(x.id),
    );
    if (r) oldest = { id: r.id, appendMs: r.appendMs, meta: r.meta };
  }
  const pending: Inspection['pending'] = {};
  for (const reason of DROP_REASONS)
    if (rec.newDrops[reason].records > 0) pending[reason] = rec.newDrops[reason].records;
  let positionWrittenMs: number | undefined;
  try {
    positionWrittenMs = statSync(join(dir, POSITION_FILE)).mtimeMs;
  } catch {
    positionWrittenMs = undefined;
  }
  return {
    dir,
    records: rec.segments.reduce((n, s) => n + validAbove(s, floor), 0),
    bytes: rec.segments.reduce((n, s) => n + s.size, 0),
    segments: rec.segments.length,
    oldest,
    doneThrough: floor,
    nextId: rec.position.nextId,
    drops: rec.position.drops,
    pending,
    recovery: rec.report,
    positionWrittenMs,
  };
}

export interface Holder {
  /** From the LOCK file; undefined when there is none or it is unreadable. */
  info: LockInfo | undefined;
  /** The process the LOCK names is alive and is the one that wrote it (pid, boot, start time). */
  alive: boolean;
  /** The kernel lock (the abstract socket) is bound by some process; undefined off Linux. */
  socketBound: boolean | undefined;
}

/** Who holds `dir` now (see the file header): nothing is opened, bound or written. */
export function holder(dir: string): Holder {
  const info = readLockInfo(dir);
  let socketBound: boolean | undefined;
  if (process.platform === 'linux') {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return { info, alive: false, socketBound: false };
    }
    const name = `@${lockSocketName(real)}`;
    try {
      socketBound = readFileSync('/proc/net/unix', 'utf8')
        .split('\n')
        .some((line) => line.endsWith(` ${name}`));
    } catch {
      socketBound = undefined;
    }
  }
  return { info, alive: info !== undefined && holderAlive(info), socketBound };
}

export interface Peek {
  /** The position file as last written (undefined when missing or damaged). */
  position: Position | undefined;
  segments: number;
  /** Sizes of the segment files now. */
  bytes: number;
  /** Valid records above the position's doneThrough (the position may lag the holder's acks). */
  records: number;
  oldest: Inspection['oldest'];
}

/**
 * The position file and the segment files as they are now, read-only, for a directory another process
 * holds and appends to: records are counted with the same scanner as recovery, but nothing is judged
 * (a record being written shows as a torn tail and is simply not counted), nothing is written, and the
 * lock is not touched. One segment in memory at a time.
 */
export function peek(dir: string): Peek {
  let position: Position | undefined;
  try {
    position = decodePosition(readFileSync(join(dir, POSITION_FILE)));
  } catch {
    position = undefined;
  }
  const floor = position?.doneThrough ?? 0;
  const names = readdirSync(dir)
    .map((name) => ({ name, id: parseSegmentName(name) }))
    .filter((x) => x.id !== undefined)
    .sort((a, b) => (a.id as number) - (b.id as number));
  const out: Peek = { position, segments: 0, bytes: 0, records: 0, oldest: undefined };
  let lastId = floor;
  for (const { name } of names) {
    let buf: Uint8Array;
    try {
      buf = readFileSync(join(dir, name));
    } catch {
      continue; // Deleted since the listing (acknowledged): not buffered any more.
    }
    out.segments++;
    out.bytes += buf.length;
    for (const r of scanSegment(buf).records) {
      if (r.id <= lastId) continue;
      lastId = r.id;
      out.records++;
      out.oldest ??= { id: r.id, appendMs: r.appendMs, meta: r.meta };
    }
  }
  return out;
}
