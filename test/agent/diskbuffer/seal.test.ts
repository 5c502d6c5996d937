/**
 * Seal records (format version 2, agent-buffer-notes §5.11): open reads only the header and the seal
 * of a sealed segment, whatever its size; a segment without a valid seal (version 1, a crash before the
 * seal, a damaged seal) is read whole, as before, and its records are all there. Damage inside a sealed
 * segment is counted when the records are read, once across reopens.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { SEAL_BYTES, SEGMENT_HEADER_BYTES, scanSegment } from '../../../agent/diskbuffer/format.ts';
import { type FileSystem, nodeFs, open } from '../../../agent/diskbuffer/index.ts';
import { content, drain, dropped, numberOf, removeTempDirs, segmentFiles, tempDir } from './helpers.ts';

afterEach(removeTempDirs);

/** nodeFs, counting the bytes read from segment files. */
function counting(): { fs: FileSystem; read: () => number } {
  let n = 0;
  const seg = (p: string) => p.includes('/seg-');
  const fs: FileSystem = {
    ...nodeFs,
    readFile: (p) => {
      const b = nodeFs.readFile(p);
      if (seg(p)) n += b.length;
      return b;
    },
    readInto: (p, into, length, position) => {
      const got = nodeFs.readInto(p, into, length, position);
      if (seg(p)) n += got;
      return got;
    },
  };
  return { fs, read: () => n };
}

/** `segments` sealed segments of 40 records each (content(n, 200), meta samples n): ids 1..40·segments. */
async function sealedSegments(segments: number): Promise<string> {
  const dir = tempDir('sluice-diskbuffer-', true);
  for (let s = 0; s < segments; s++) {
    const buf = await open(dir, { fsync: 'never' });
    for (let n = s * 40 + 1; n <= s * 40 + 40; n++)
      buf.append(content(n, 200), { samples: n, minTimeMs: n * 1000, maxTimeMs: n * 1000 + 1 });
    await buf.close(); // seals the segment; the next open starts a new one
  }
  expect(segmentFiles(dir).length).toBe(segments);
  return dir;
}

it('open reads the header and seal of each sealed segment only (72 bytes each), then every record', async () => {
  const dir = await sealedSegments(5);
  const c = counting();
  const buf = await open(dir, { fsync: 'never', fs: c.fs });
  expect(c.read()).toBe(5 * (SEGMENT_HEADER_BYTES + SEAL_BYTES));
  expect(buf.stats().records).toBe(200);
  expect(drain(buf, 13).map((r) => numberOf(r.bytes, 200))).toEqual(
    Array.from({ length: 200 }, (_, i) => i + 1),
  );
  expect(dropped(buf.stats().drops)).toBe(0);
  await buf.close();
});

it('without a valid seal (version 1, cut, damaged) a segment is read whole; records and counts unchanged', async () => {
  const dir = await sealedSegments(3);
  const [v1, cut, damaged] = segmentFiles(dir).map((n) => join(dir, n)) as [string, string, string];
  // Version 1: no seal, version 1 in the header (its CRC redone).
  const old = readFileSync(v1);
  const end = scanSegment(old).seal?.dataEnd as number;
  const h = Uint8Array.from(old.subarray(0, end));
  const dv = new DataView(h.buffer);
  dv.setUint16(4, 1, true);
  dv.setUint32(28, crc32(h.subarray(0, 28)), true);
  writeFileSync(v1, h);
  truncateSync(cut, (scanSegment(readFileSync(cut)).seal?.dataEnd as number) + 7); // a crash mid-seal
  const d = readFileSync(damaged);
  d[d.length - 20] = (d[d.length - 20] as number) ^ 0x01;
  writeFileSync(damaged, d);
  const sizes = [v1, cut, damaged].map((p) => readFileSync(p).length);
  const c = counting();
  const buf = await open(dir, { fsync: 'never', fs: c.fs });
  // Each is read whole once after its header and seal were tried (the cut one's 72 bytes are not a seal).
  expect(c.read()).toBe(sizes.reduce((a, n) => a + n + SEGMENT_HEADER_BYTES + SEAL_BYTES, 0));
  expect(drain(buf).map((r) => numberOf(r.bytes, 200))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  expect(dropped(buf.stats().drops)).toBe(0);
  await buf.close();
});

it('a flipped payload in a sealed segment is counted corrupt once, with its meta, when read, not again after a reopen', async () => {
  const dir = await sealedSegments(2);
  const first = join(dir, segmentFiles(dir)[0] as string);
  const bytes = readFileSync(first);
  const r = scanSegment(bytes).records[6] as { offset: number; size: number; id: number };
  expect(r.id).toBe(7);
  bytes[r.offset + r.size - 3] = (bytes[r.offset + r.size - 3] as number) ^ 0x40; // in its payload
  writeFileSync(first, bytes);
  const want = Array.from({ length: 80 }, (_, i) => i + 1).filter((n) => n !== 7);
  for (let run = 0; run < 2; run++) {
    const buf = await open(dir, { fsync: 'never' });
    // Open trusts the seal; the damage is found by the first read of segment 1 (stats() reads the head).
    expect(buf.read(100).map((x) => numberOf(x.bytes, 200))).toEqual(want);
    // Its header survived: counted with its size and meta (samples 7, sample times 7000..7001).
    expect(buf.stats().drops.corrupt).toEqual({
      records: 1,
      bytes: r.size,
      samples: 7,
      minTimeMs: 7000,
      maxTimeMs: 7001,
    });
    expect(buf.count).toBe(79);
    await buf.close(); // nothing acked: the reopen reads the same damage again
  }
});
