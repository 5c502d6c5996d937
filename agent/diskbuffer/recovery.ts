/**
 * Recovery on open: read the directory, the position, the header and seal of every segment and the
 * whole of every segment without a valid seal (one at a time, into one reused buffer; what is kept per
 * segment is a few numbers plus one entry per damaged spot, scanned.ts, so memory is one segment, not
 * the backlog), decide what can be trusted, and count what cannot. It only reads; the
 * driver then writes in a safe order (truncate the torn tail, persist the position with the new counts,
 * then delete what is no longer needed), so a crash during recovery recovers the same way again.
 *
 * What is lost is derived from record ids, which are consecutive within a segment: every id above the
 * read position up to the highest id ever assigned is either a valid record on disk or lost. Each lost
 * id is attributed to one reason (see DropReason) and counted once: ids already in the position's `lost`
 * ranges were counted by an earlier run.
 */
import { join } from 'node:path';
import type { BufferPool } from './bufpool.ts';
import { parseSegmentName, type RecordMeta, SEGMENT_HEADER_BYTES, scanSegment } from './format.ts';
import { errnoOf, type FileSystem, fsyncDir } from './fsys.ts';
import { LOCK_FILE } from './lock.ts';
import {
  addDrop,
  type DropCounters,
  type DropReason,
  decodePosition,
  emptyDrops,
  newEpoch,
  type Position,
} from './position.ts';
import { above, countIds, type IdRange, normalize, subtract } from './ranges.ts';
import { type Known, known, metaOf, type Scanned, summaryOf, trailing } from './scanned.ts';

export const POSITION_FILE = 'position';

/** What the driver keeps per segment file: ids, not records (memory independent of the backlog). */
export interface SegmentState {
  /** From the file name; new segments are named by their first record's id. */
  firstId: number;
  path: string;
  size: number;
  /** First valid record id; `lastId < firstValid` when the segment holds none. */
  firstValid: number;
  lastId: number;
  /** Ids in [firstValid, lastId] that are not valid records (already counted as lost). */
  holes: number[];
}

/** Valid records in `seg` with an id above `floor`. */
export function validAbove(seg: SegmentState, floor: number): number {
  if (seg.lastId <= floor) return 0;
  const lo = Math.max(floor + 1, seg.firstValid);
  let n = seg.lastId - lo + 1;
  for (const h of seg.holes) if (h >= lo) n--;
  return n;
}

/** What open found and did, beyond the drop counters (which count records). */
export interface RecoveryReport {
  positionMissing: boolean;
  positionCorrupt: boolean;
  /** The position contradicted the files (offset past a segment's end, or more acked than assigned). */
  positionStale: boolean;
  emptyFiles: number;
  junkFiles: number;
  badSegmentHeaders: number;
  /** Segment files with no valid record (deleted once the position holds their count). */
  uselessSegments: number;
  truncatedBytes: number;
  tmpFiles: number;
}

export interface Recovered {
  segments: SegmentState[];
  position: Position;
  /** What this open counted (also added into position.drops). */
  newDrops: DropCounters;
  report: RecoveryReport;
  /** The newest segment's torn tail, to cut before anything is appended. */
  truncate: { path: string; length: number } | undefined;
  /** Files to delete after the position is persisted. */
  toDelete: string[];
}

interface Loss {
  range: IdRange;
  reason: DropReason;
  bytes: number;
  meta?: RecordMeta;
}

function emptyReport(): RecoveryReport {
  return {
    positionMissing: false,
    positionCorrupt: false,
    positionStale: false,
    emptyFiles: 0,
    junkFiles: 0,
    badSegmentHeaders: 0,
    uselessSegments: 0,
    truncatedBytes: 0,
    tmpFiles: 0,
  };
}

/**
 * Reads `dir` and decides (see the file header). Throws only when the directory cannot be read.
 * Segment files are read into one buffer taken from `pool` (given back at the end).
 */
export function recover(fsys: FileSystem, dir: string, pool: BufferPool): Recovered {
  const report = emptyReport();
  const toDelete: string[] = [];
  const names: number[] = [];
  for (const name of fsys.readdir(dir)) {
    const id = parseSegmentName(name);
    if (id !== undefined) names.push(id);
    else if (name === `${POSITION_FILE}.tmp` || name === `${LOCK_FILE}.tmp`) {
      report.tmpFiles++;
      toDelete.push(join(dir, name));
    } else if (name !== POSITION_FILE && name !== LOCK_FILE) report.junkFiles++;
  }
  names.sort((a, b) => a - b);

  const posPath = join(dir, POSITION_FILE);
  let pos: Position | undefined;
  if (fsys.size(posPath) === undefined) report.positionMissing = true;
  else {
    pos = decodePosition(fsys.readFile(posPath));
    if (!pos) report.positionCorrupt = true;
  }

  const scanned: Scanned[] = [];
  let maxId = 0;
  let buf = pool.take(0);
  for (const name of names) {
    const path = join(dir, `seg-${name.toString(16).padStart(16, '0')}.log`);
    const sealed = summaryOf(fsys, name, path, buf, maxId);
    if (sealed) {
      maxId = Math.max(maxId, (sealed.known[0] as Known).lastId);
      scanned.push(sealed);
      continue;
    }
    if ((fsys.size(path) ?? 0) > buf.length) {
      pool.give(buf, true);
      buf = pool.take(fsys.size(path) ?? 0);
    }
    // The bytes read (the file may have changed since the stat).
    const size = fsys.readInto(path, buf, buf.length);
    if (size === 0) {
      report.emptyFiles++;
      toDelete.push(path);
      continue;
    }
    const scan = scanSegment(buf.subarray(0, size));
    if (!scan.header) report.badSegmentHeaders++;
    const k = known(scan, maxId);
    for (const x of k) maxId = Math.max(maxId, x.lastId);
    scanned.push({ name, path, size, header: scan.header, known: k, tail: trailing(scan, size) });
  }
  pool.give(buf, true);

  // Trust the position only where the files agree with it (else replay from the oldest record).
  if (pos) {
    const named = scanned.find((s) => s.name === pos?.segment);
    if ((named && pos.offset > named.size) || pos.doneThrough >= Math.max(pos.nextId, maxId + 1)) {
      report.positionStale = true;
      pos = { ...pos, doneThrough: 0, lost: [], acked: [] };
    }
  }
  const firstKnown = scanned.find((s) => s.known.length > 0)?.known[0]?.id;
  const trusted = pos && !report.positionStale;
  const floor = trusted ? (pos as Position).doneThrough : Math.max(0, (firstKnown ?? maxId + 1) - 1);

  const losses = lossesOf(scanned, trusted ? floor : undefined, trusted ? (pos as Position).nextId - 1 : 0);
  const last = scanned[scanned.length - 1];
  const tail = last?.tail;
  const truncate = last && tail ? { path: last.path, length: tail.offset } : undefined;
  if (tail) report.truncatedBytes = tail.end - tail.offset;

  // Count each lost id once.
  const drops = pos ? structuredClone(pos.drops) : emptyDrops();
  const newDrops = emptyDrops();
  let covered = normalize(above(pos?.lost ?? [], floor));
  // Records acknowledged out of order were delivered: damage to them since is no loss.
  const acked = trusted ? normalize(above((pos as Position).acked ?? [], floor)) : [];
  // Evicted while being sent when the last run ended: the sends' outcome is unknown, count them lost.
  for (const e of pos?.evicting ?? []) {
    addDrop(drops.disk_bound, 1, e.size, e.meta);
    addDrop(newDrops.disk_bound, 1, e.size, e.meta);
  }
  let lastLost = 0;
  for (const l of losses) {
    const fresh = above([l.range], floor)
      .flatMap((r) => subtract(r, covered))
      .flatMap((r) => subtract(r, acked));
    const n = countIds(fresh);
    lastLost = Math.max(lastLost, l.range[1]);
    if (n === 0) continue;
    const whole = n === l.range[1] - l.range[0] + 1;
    addDrop(drops[l.reason], n, l.bytes, whole ? l.meta : undefined);
    addDrop(newDrops[l.reason], n, l.bytes, whole ? l.meta : undefined);
    covered = normalize([...covered, ...fresh]);
  }

  const segments: SegmentState[] = [];
  for (const s of scanned) {
    const valid = s.known.filter((k) => k.valid);
    const first = valid[0];
    const lastValid = valid[valid.length - 1];
    if (!first || !lastValid || lastValid.lastId <= floor) {
      if (!first) report.uselessSegments++;
      toDelete.push(s.path);
      continue;
    }
    // Holes: the ids between the valid runs.
    const holes: number[] = [];
    for (let i = 1; i < valid.length; i++)
      for (let id = (valid[i - 1] as Known).lastId + 1; id < (valid[i] as Known).id; id++) holes.push(id);
    const size = s === last && truncate ? truncate.length : s.size;
    segments.push({
      firstId: s.name,
      path: s.path,
      size,
      firstValid: first.id,
      lastId: lastValid.lastId,
      holes,
    });
  }
  const keepTruncate = truncate && segments.some((s) => s.path === truncate.path) ? truncate : undefined;

  // A segment left empty or with a cut header by a crash is deleted above and its name (the id of an
  // append that never returned) is free again; only kept segments' names must not be reused.
  const maxName = Math.max(0, ...segments.map((x) => x.firstId));
  const position: Position = {
    // The counters above are pos.drops (kept with their epoch) or new zeros (a new epoch).
    epoch: pos?.epoch ?? newEpoch(),
    doneThrough: floor,
    nextId: Math.max(pos?.nextId ?? 1, maxId + 1, lastLost + 1, maxName + 1, floor + 1),
    segment: segments[0]?.firstId ?? 0,
    offset: segments[0] ? SEGMENT_HEADER_BYTES : 0,
    drops,
    lost: normalize(above(covered, floor)),
    acked,
  };
  return { segments, position, newDrops, report, truncate: keepTruncate, toDelete };
}

/**
 * After the position holding recovery's counts is persisted: cut the torn tail, delete what is not
 * needed, fsync the directory. Each step on its own (a missing file is fine); errors go to `onError`.
 */
export function cleanUp(
  fsys: FileSystem,
  dir: string,
  rec: Recovered,
  onError: (err: unknown) => void,
): void {
  const cut = rec.truncate;
  const steps = [
    ...(cut ? [() => fsys.truncate(cut.path, cut.length)] : []),
    ...rec.toDelete.map((path) => () => fsys.unlink(path)),
    () => fsyncDir(fsys, dir),
  ];
  for (const step of steps) {
    try {
      step();
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') onError(err);
    }
  }
}

/**
 * Every lost id range with its reason, in id order (later entries may overlap earlier ones; the caller
 * counts each id once). `floor` is undefined when the position is not trusted: then nothing before the
 * oldest record on disk is called lost.
 */
function lossesOf(scanned: Scanned[], floor: number | undefined, assigned: number): Loss[] {
  const out: Loss[] = [];
  let prevLast = floor; // the last id accounted for before the current segment
  scanned.forEach((s, i) => {
    const header = s.header;
    const ks = s.known;
    const start = header?.firstId ?? ks[0]?.id;
    // Before this segment: ids the previous segment should have held up to our prevId are damage in it;
    // ids between that and our first id never reached the disk.
    if (prevLast !== undefined && start !== undefined && start > prevLast + 1) {
      // Before the oldest segment there is no file to have damaged: whatever is not there is missing.
      const damagedTo = i === 0 ? prevLast : header ? Math.min(header.prevId, start - 1) : start - 1;
      if (damagedTo > prevLast) out.push({ range: [prevLast + 1, damagedTo], reason: 'corrupt', bytes: 0 });
      const from = Math.max(prevLast, damagedTo) + 1;
      if (start > from) out.push({ range: [from, start - 1], reason: 'missing', bytes: 0 });
    }
    let prev = start !== undefined ? start - 1 : prevLast;
    let prevEnd = SEGMENT_HEADER_BYTES;
    for (const k of ks) {
      if (prev !== undefined && k.id > prev + 1)
        out.push({ range: [prev + 1, k.id - 1], reason: 'corrupt', bytes: k.offset - prevEnd });
      if (!k.valid)
        out.push({ range: [k.id, k.id], reason: 'corrupt', bytes: k.end - k.offset, ...metaOf(k.meta) });
      prev = k.lastId;
      prevEnd = k.end;
    }
    const tail = s.tail;
    if (tail?.kind === 'torn' && prev !== undefined && i === scanned.length - 1) {
      out.push({
        range: [prev + 1, prev + 1],
        reason: 'torn_tail',
        bytes: tail.end - tail.offset,
        ...metaOf(tail.meta),
      });
      prev++;
    }
    if (prev !== undefined) prevLast = Math.max(prevLast ?? 0, prev);
  });
  // Ids the position knew were assigned but on no disk: lost before they were written (a crash
  // mid-append after the position was written).
  if (prevLast !== undefined && assigned > prevLast)
    out.push({ range: [prevLast + 1, assigned], reason: 'missing', bytes: 0 });
  return out;
}
