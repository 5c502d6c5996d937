/**
 * The disk buffer's byte format: pure functions, no I/O, no clocks (STYLE 4). The layout is stated in
 * index.ts; the constants here are the single source of it.
 *
 * `scanSegment` is the only reader of segment bytes. It never throws on bad input and always makes
 * progress (every loop step advances `pos` by at least one byte), so a damaged file cannot hang recovery
 * (Vector #17644). It reports what it could not trust instead of guessing:
 * - a record whose header checks out but whose payload CRC does not: `bad_payload` (its id is known);
 * - bytes with no valid record header: `bad_header`, skipped by resyncing on the next offset holding a
 *   valid magic + header CRC + payload CRC whose id is plausible (greater than the last good id and at
 *   most one id per header-size of skipped bytes further, so bytes inside a payload that happen to look
 *   like a record cannot pull the scan far ahead);
 * - a trailing record cut short (trailing bytes that start like a record: a prefix of the magic, or a
 *   valid header whose payload is incomplete): `torn`. A write cut by a crash leaves a prefix;
 * - other trailing non-zero bytes with no record after them: `junk` (not a record: nothing to count);
 * - trailing zeros (a file extended but never written, e.g. after a crash on some filesystems): `zeros`.
 */
import { crc32 } from 'node:zlib';

/** Written in new segment headers. Version 1 (no seal record) is still read. */
export const FORMAT_VERSION = 2;
/** "ENDS" little-endian: first bytes of a seal record (its first byte differs from a record's). */
export const SEAL_MAGIC = 0x53444e45;
/** magic u32 | u32 0 | firstId u64 | lastId u64 | dataEnd u64 | u32 0 | crc32(0..36) u32. */
export const SEAL_BYTES = 40;
/** "SLSG" little-endian: first bytes of every segment file. */
export const SEGMENT_MAGIC = 0x47534c53;
/** "SLCR" little-endian: first bytes of every record. */
export const RECORD_MAGIC = 0x52434c53;
export const SEGMENT_HEADER_BYTES = 32;
export const RECORD_HEADER_BYTES = 56;
/** Upper bound on one payload; a header claiming more is invalid (guards resync and allocation). */
export const MAX_RECORD_PAYLOAD = 64 * 1024 * 1024;

const FLAG_META = 1;
const RECORD_MAGIC_BYTES = le32(RECORD_MAGIC);

/** What the caller may attach to a record so that a drop of it can be reported in samples and time. */
export interface RecordMeta {
  samples: number;
  minTimeMs: number;
  maxTimeMs: number;
}

export interface SegmentHeader {
  version: number;
  /** Id of the first record written to this segment. */
  firstId: number;
  /**
   * Id of the last record written to disk before this segment was created. Ids in (prevId, firstId)
   * were skipped on purpose (acked or dropped from memory while the disk was unwritable, and counted
   * then); ids missing in [.., prevId] from the previous segment were lost to damage.
   */
  prevId: number;
}

export interface RecordHeader {
  id: number;
  payloadLength: number;
  appendMs: number;
  meta: RecordMeta | undefined;
  payloadCrc: number;
}

export interface ScannedRecord extends RecordHeader {
  offset: number;
  /** Header + payload bytes. */
  size: number;
}

export type DamageKind = 'bad_payload' | 'bad_header' | 'torn' | 'junk' | 'zeros';

export interface Damage {
  kind: DamageKind;
  offset: number;
  end: number;
  /** Known when the record header was valid (bad_payload, and torn with a readable header). */
  id?: number;
  meta?: RecordMeta;
}

/**
 * The last bytes of a segment closed cleanly (version 2): it holds the records firstId..lastId, every id
 * once, back to back from the header to dataEnd, where the seal starts and the file ends. Open trusts
 * it instead of reading the records; damage inside is found when they are read.
 */
export interface Seal {
  firstId: number;
  lastId: number;
  dataEnd: number;
}

export interface ScanResult {
  /** Undefined when the segment header is missing or fails its CRC (records are scanned all the same). */
  header: SegmentHeader | undefined;
  /** A valid seal record ending the file, right after the last valid record. */
  seal: Seal | undefined;
  records: ScannedRecord[];
  damage: Damage[];
  /** Offset just past the last valid record (the segment header's size when there is none). */
  validEnd: number;
}

function le32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function setU64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v % 0x1_0000_0000, true);
  dv.setUint32(off + 4, Math.floor(v / 0x1_0000_0000), true);
}

/** A u64 as a number, or -1 when it is not a safe integer. */
function getU64(dv: DataView, off: number): number {
  const hi = dv.getUint32(off + 4, true);
  if (hi > 0x1f_ffff) return -1;
  return hi * 0x1_0000_0000 + dv.getUint32(off, true);
}

function checkId(id: number, what: string): void {
  if (!Number.isSafeInteger(id) || id < 0)
    throw new RangeError(`${what} ${id} is not a safe non-negative integer`);
}

export function encodeSegmentHeader(h: { firstId: number; prevId: number }): Uint8Array {
  checkId(h.firstId, 'firstId');
  checkId(h.prevId, 'prevId');
  const b = new Uint8Array(SEGMENT_HEADER_BYTES);
  const dv = view(b);
  dv.setUint32(0, SEGMENT_MAGIC, true);
  dv.setUint16(4, FORMAT_VERSION, true);
  setU64(dv, 8, h.firstId);
  setU64(dv, 16, h.prevId);
  dv.setUint32(28, crc32(b.subarray(0, 28)), true);
  return b;
}

export function decodeSegmentHeader(buf: Uint8Array): SegmentHeader | undefined {
  if (buf.length < SEGMENT_HEADER_BYTES) return undefined;
  const dv = view(buf);
  if (dv.getUint32(0, true) !== SEGMENT_MAGIC) return undefined;
  if (dv.getUint32(28, true) !== crc32(buf.subarray(0, 28))) return undefined;
  const version = dv.getUint16(4, true);
  const firstId = getU64(dv, 8);
  const prevId = getU64(dv, 16);
  if (version < 1 || version > FORMAT_VERSION || firstId < 0 || prevId < 0) return undefined;
  return { version, firstId, prevId };
}

export function encodeSeal(s: Seal): Uint8Array {
  checkId(s.firstId, 'firstId');
  checkId(s.lastId, 'lastId');
  checkId(s.dataEnd, 'dataEnd');
  const b = new Uint8Array(SEAL_BYTES);
  const dv = view(b);
  dv.setUint32(0, SEAL_MAGIC, true);
  setU64(dv, 8, s.firstId);
  setU64(dv, 16, s.lastId);
  setU64(dv, 24, s.dataEnd);
  dv.setUint32(36, crc32(b.subarray(0, 36)), true);
  return b;
}

/** The seal record at `off` if its magic and CRC check out, else undefined. */
export function decodeSeal(buf: Uint8Array, off: number): Seal | undefined {
  if (off < 0 || off + SEAL_BYTES > buf.length) return undefined;
  const dv = view(buf);
  if (dv.getUint32(off, true) !== SEAL_MAGIC) return undefined;
  if (dv.getUint32(off + 36, true) !== crc32(buf.subarray(off, off + 36))) return undefined;
  const seal = { firstId: getU64(dv, off + 8), lastId: getU64(dv, off + 16), dataEnd: getU64(dv, off + 24) };
  return seal.firstId < 0 || seal.lastId < 0 || seal.dataEnd < 0 ? undefined : seal;
}

/** One record (header + payload) ready to be written with a single write. */
export function encodeRecord(
  id: number,
  payload: Uint8Array,
  appendMs: number,
  meta?: RecordMeta,
): Uint8Array {
  checkId(id, 'record id');
  if (payload.length > MAX_RECORD_PAYLOAD) throw new RangeError(`payload of ${payload.length} bytes`);
  const b = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  const dv = view(b);
  dv.setUint32(0, RECORD_MAGIC, true);
  dv.setUint32(4, payload.length, true);
  setU64(dv, 8, id);
  dv.setFloat64(16, appendMs, true);
  dv.setFloat64(24, meta?.minTimeMs ?? 0, true);
  dv.setFloat64(32, meta?.maxTimeMs ?? 0, true);
  dv.setUint32(40, meta?.samples ?? 0, true);
  dv.setUint32(44, meta ? FLAG_META : 0, true);
  dv.setUint32(48, crc32(payload), true);
  dv.setUint32(52, crc32(b.subarray(0, 52)), true);
  b.set(payload, RECORD_HEADER_BYTES);
  return b;
}

/** The record header at `off` if its magic and header CRC check out, else undefined. */
export function decodeRecordHeader(buf: Uint8Array, off: number): RecordHeader | undefined {
  if (off < 0 || off + RECORD_HEADER_BYTES > buf.length) return undefined;
  const dv = view(buf);
  if (dv.getUint32(off, true) !== RECORD_MAGIC) return undefined;
  if (dv.getUint32(off + 52, true) !== crc32(buf.subarray(off, off + 52))) return undefined;
  const payloadLength = dv.getUint32(off + 4, true);
  const id = getU64(dv, off + 8);
  if (id < 0 || payloadLength > MAX_RECORD_PAYLOAD) return undefined;
  const hasMeta = (dv.getUint32(off + 44, true) & FLAG_META) !== 0;
  return {
    id,
    payloadLength,
    appendMs: dv.getFloat64(off + 16, true),
    meta: hasMeta
      ? {
          minTimeMs: dv.getFloat64(off + 24, true),
          maxTimeMs: dv.getFloat64(off + 32, true),
          samples: dv.getUint32(off + 40, true),
        }
      : undefined,
    payloadCrc: dv.getUint32(off + 48, true),
  };
}

/** The payload of a scanned record (a view, not a copy). */
export function payloadOf(buf: Uint8Array, r: ScannedRecord): Uint8Array {
  return buf.subarray(r.offset + RECORD_HEADER_BYTES, r.offset + r.size);
}

function payloadOk(buf: Uint8Array, off: number, h: RecordHeader): boolean {
  const start = off + RECORD_HEADER_BYTES;
  return crc32(buf.subarray(start, start + h.payloadLength)) === h.payloadCrc;
}

/**
 * The next offset ≥ `from` holding a complete, fully valid record whose id is plausible after `lastId`
 * (see the file header), or -1. Bounded by the buffer: each candidate is a magic match found by indexOf.
 */
function resync(buf: Uint8Array, from: number, lastId: number, lastEnd: number): number {
  let p = from;
  for (;;) {
    p = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf(RECORD_MAGIC_BYTES, p);
    if (p < 0) return -1;
    const h = decodeRecordHeader(buf, p);
    const maxSkipped = Math.floor((p - lastEnd) / RECORD_HEADER_BYTES);
    if (
      h &&
      h.id > lastId &&
      h.id - lastId - 1 <= maxSkipped &&
      p + RECORD_HEADER_BYTES + h.payloadLength <= buf.length &&
      payloadOk(buf, p, h)
    ) {
      return p;
    }
    p++;
  }
}

function startsLikeRecord(buf: Uint8Array, pos: number): boolean {
  const n = Math.min(4, buf.length - pos);
  for (let i = 0; i < n; i++) if (buf[pos + i] !== RECORD_MAGIC_BYTES[i]) return false;
  return true;
}

function allZero(buf: Uint8Array, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Validates a whole segment file's bytes (see the file header for what is reported). */
export function scanSegment(buf: Uint8Array): ScanResult {
  const header = decodeSegmentHeader(buf);
  const records: ScannedRecord[] = [];
  const damage: Damage[] = [];
  let pos = Math.min(SEGMENT_HEADER_BYTES, buf.length);
  let validEnd = pos;
  // With a valid header the first record must be header.firstId, so resync bounds start from there.
  let lastId = header ? header.firstId - 1 : -1;
  let lastEnd = pos;
  let seal: Seal | undefined;
  while (pos < buf.length) {
    if (pos + SEAL_BYTES === buf.length) {
      seal = decodeSeal(buf, pos);
      if (seal?.dataEnd === pos) break;
      seal = undefined;
    }
    const h = decodeRecordHeader(buf, pos);
    if (h && h.id > lastId && (lastId < 0 || h.id - lastId - 1 <= (pos - lastEnd) / RECORD_HEADER_BYTES)) {
      const end = pos + RECORD_HEADER_BYTES + h.payloadLength;
      if (end > buf.length) {
        damage.push({ kind: 'torn', offset: pos, end: buf.length, id: h.id, ...metaOf(h) });
        break;
      }
      if (payloadOk(buf, pos, h)) {
        records.push({ ...h, offset: pos, size: end - pos });
        validEnd = end;
      } else {
        damage.push({ kind: 'bad_payload', offset: pos, end, id: h.id, ...metaOf(h) });
      }
      lastId = h.id;
      lastEnd = end;
      pos = end;
      continue;
    }
    const next = resync(buf, pos + 1, lastId, lastEnd);
    if (next >= 0) {
      damage.push({ kind: 'bad_header', offset: pos, end: next });
      pos = next;
      continue;
    }
    const kind = allZero(buf, pos) ? 'zeros' : startsLikeRecord(buf, pos) ? 'torn' : 'junk';
    damage.push({ kind, offset: pos, end: buf.length });
    break;
  }
  return { header, seal, records, damage, validEnd };
}

function metaOf(h: RecordHeader): { meta?: RecordMeta } {
  return h.meta ? { meta: h.meta } : {};
}

/** `seg-<first id as 16 hex digits>.log`: names sort in id order. */
export function segmentName(firstId: number): string {
  return `seg-${firstId.toString(16).padStart(16, '0')}.log`;
}

/** The first id encoded in a segment file name, or undefined for any other name. */
export function parseSegmentName(name: string): number | undefined {
  const m = /^seg-([0-9a-f]{16})\.log$/.exec(name);
  if (!m) return undefined;
  const id = Number.parseInt(m[1] as string, 16);
  return Number.isSafeInteger(id) ? id : undefined;
}
