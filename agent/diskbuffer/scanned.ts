/**
 * What recovery keeps of one segment file instead of its records (memory independent of the backlog):
 * runs of consecutive valid ids, one entry per damaged record, the damage at its end; from a full scan
 * of its bytes, or, for a sealed segment (format version 2), from its header and seal alone.
 */
import {
  type Damage,
  decodeSeal,
  decodeSegmentHeader,
  RECORD_HEADER_BYTES,
  type RecordMeta,
  type ScanResult,
  SEAL_BYTES,
  SEGMENT_HEADER_BYTES,
  type SegmentHeader,
} from './format.ts';
import type { FileSystem } from './fsys.ts';

/** What is kept of one scanned segment (not its records: see known()). */
export interface Scanned {
  name: number;
  path: string;
  size: number;
  header: SegmentHeader | undefined;
  /** Ids present as valid or checksum-failed records, in id order, above any earlier segment's. */
  known: Known[];
  /** Damage reaching the end of the file (torn, junk or zeros), to cut if it is the newest segment. */
  tail: Damage | undefined;
}

/** A run of consecutive valid records [id, lastId] (offset of the first, end of the last), or one bad one. */
export interface Known {
  id: number;
  lastId: number;
  offset: number;
  end: number;
  valid: boolean;
  meta?: RecordMeta;
}

/** The scan's records above `floorId` as runs: a few entries per segment, whatever its record count. */
export function known(scan: ScanResult, floorId: number): Known[] {
  const all: Known[] = [];
  for (const r of scan.records)
    all.push({ id: r.id, lastId: r.id, offset: r.offset, end: r.offset + r.size, valid: true });
  for (const d of scan.damage)
    if (d.kind === 'bad_payload' && d.id !== undefined)
      all.push({ id: d.id, lastId: d.id, offset: d.offset, end: d.end, valid: false, ...metaOf(d.meta) });
  const out: Known[] = [];
  for (const k of all.filter((x) => x.id > floorId).sort((a, b) => a.id - b.id)) {
    const prev = out[out.length - 1];
    if (prev?.valid && k.valid && k.id === prev.lastId + 1) {
      prev.lastId = k.id;
      prev.end = k.end;
    } else out.push(k);
  }
  return out;
}

export function trailing(scan: ScanResult, size: number): Damage | undefined {
  const d = scan.damage[scan.damage.length - 1];
  return d && (d.kind === 'torn' || d.kind === 'junk' || d.kind === 'zeros') && d.end === size
    ? d
    : undefined;
}

/**
 * A sealed segment (format version 2) as its seal describes it, reading only its header and its seal:
 * undefined unless both check out and agree with the file's size and with the segments before it (ids
 * above `maxId`), in which case the caller reads the segment whole. `scratch`: any buffer of ≥ 72 bytes.
 */
export function summaryOf(
  fsys: FileSystem,
  name: number,
  path: string,
  scratch: Uint8Array,
  maxId: number,
): Scanned | undefined {
  const size = fsys.size(path) ?? 0;
  if (size < SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES + SEAL_BYTES) return undefined;
  const head = scratch.subarray(0, SEGMENT_HEADER_BYTES);
  const tail = scratch.subarray(SEGMENT_HEADER_BYTES, SEGMENT_HEADER_BYTES + SEAL_BYTES);
  if (fsys.readInto(path, head, head.length, 0) !== head.length) return undefined;
  if (fsys.readInto(path, tail, tail.length, size - SEAL_BYTES) !== tail.length) return undefined;
  const header = decodeSegmentHeader(head);
  const seal = decodeSeal(tail, 0);
  if (!header || header.version < 2 || !seal || seal.dataEnd !== size - SEAL_BYTES) return undefined;
  const count = seal.lastId - seal.firstId + 1;
  if (seal.firstId !== header.firstId || seal.firstId <= maxId || count < 1) return undefined;
  if (SEGMENT_HEADER_BYTES + count * RECORD_HEADER_BYTES > seal.dataEnd) return undefined;
  const known = { id: seal.firstId, lastId: seal.lastId, offset: SEGMENT_HEADER_BYTES, end: seal.dataEnd };
  return { name, path, size, header, known: [{ ...known, valid: true }], tail: undefined };
}

export function metaOf(meta: RecordMeta | undefined): { meta?: RecordMeta } {
  return meta ? { meta } : {};
}
