/**
 * Torn tail (agent-buffer-notes §5.2): cut the newest segment at every byte offset of its last record,
 * or append zeros / junk after a complete record. Open must keep every earlier record, count exactly the
 * one lost record, cut the file back to the last valid record, append after it, and count nothing more
 * on the next open.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { scanSegment } from '../../../agent/diskbuffer/format.ts';
import { open } from '../../../agent/diskbuffer/index.ts';
import {
  content,
  copyDir,
  drain,
  dropped,
  numberOf,
  prng,
  removeTempDirs,
  segmentFiles,
  tempDir,
} from './helpers.ts';

afterEach(removeTempDirs);

async function sixRecords(): Promise<{ dir: string; seg: string; last: number; size: number }> {
  const dir = tempDir('sluice-diskbuffer-', true);
  const buf = await open(dir, { fsync: 'never' });
  for (let n = 1; n <= 6; n++) buf.append(content(n, 60));
  await buf.close();
  const seg = join(dir, segmentFiles(dir)[0] as string);
  const scan = scanSegment(readFileSync(seg));
  // Without its seal (close writes one): as a crash leaves the file, the last record at its end.
  const size = scan.seal?.dataEnd as number;
  truncateSync(seg, size);
  const last = scan.records[5]?.offset as number;
  return { dir, seg, last, size };
}

it('a tail cut at every byte offset of the last record: 5 kept, exactly 1 counted, file cut back', async () => {
  const { dir, last, size } = await sixRecords();
  for (let k = 0; k < size - last; k++) {
    const d = copyDir(dir);
    const seg = join(d, segmentFiles(d)[0] as string);
    truncateSync(seg, last + k);
    const buf = await open(d, { fsync: 'never' });
    const s = buf.stats();
    // k = 0: record 6 is gone entirely; the position (written at close) knew id 6 existed: `missing`.
    // k > 0: the cut record starts like a record: `torn_tail`. Either way exactly one, never more.
    expect([k, s.drops.torn_tail.records, s.drops.missing.records]).toEqual([
      k,
      k > 0 ? 1 : 0,
      k > 0 ? 0 : 1,
    ]);
    expect(dropped(s.drops)).toBe(1);
    expect(readFileSync(seg).length).toBe(last);
    expect(s.recovery.truncatedBytes).toBe(k);
    const id = buf.append(content(100, 60));
    expect(id).toBe(7);
    expect(drain(buf).map((r) => numberOf(r.bytes, 60))).toEqual([1, 2, 3, 4, 5, 100]);
    await buf.close();
    const again = await open(d, { fsync: 'never' });
    expect(dropped(again.stats().drops)).toBe(1); // cumulative: nothing counted twice
    expect(again.read(10)).toEqual([]);
    await again.close();
  }
});

it('zeros after a complete record are padding: nothing counted, cut back', async () => {
  const { dir, size } = await sixRecords();
  for (const n of [1, 55, 56, 4096]) {
    const d = copyDir(dir);
    const seg = join(d, segmentFiles(d)[0] as string);
    writeFileSync(seg, new Uint8Array(n), { flag: 'a' });
    const buf = await open(d);
    expect(dropped(buf.stats().drops)).toBe(0);
    expect(readFileSync(seg).length).toBe(size);
    expect(drain(buf).map((r) => numberOf(r.bytes, 60))).toEqual([1, 2, 3, 4, 5, 6]);
    await buf.close();
  }
});

it('junk after a complete record (seed 7): nothing invented, nothing counted as a record, cut back', async () => {
  const { dir, size } = await sixRecords();
  const r = prng(7);
  for (const n of [1, 3, 100, 4096]) {
    const d = copyDir(dir);
    const seg = join(d, segmentFiles(d)[0] as string);
    const junk = Uint8Array.from({ length: n }, () => 1 + Math.floor(r() * 255));
    junk[0] = 0x01; // not the record magic's first byte ('S' = 0x53): not a record's prefix
    writeFileSync(seg, junk, { flag: 'a' });
    const buf = await open(d);
    expect(dropped(buf.stats().drops)).toBe(0);
    expect(buf.stats().recovery.truncatedBytes).toBe(n);
    expect(readFileSync(seg).length).toBe(size);
    expect(drain(buf).map((x) => numberOf(x.bytes, 60))).toEqual([1, 2, 3, 4, 5, 6]);
    await buf.close();
  }
});
