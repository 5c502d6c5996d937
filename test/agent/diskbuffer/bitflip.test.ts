/**
 * Damage in the middle of a sealed segment (agent-buffer-notes §5.3): flip every byte of a small
 * sealed segment, one at a time, and zero a 4 KiB page of a larger one. The buffer never returns a
 * corrupted record, counts exactly the records the damage touched (`corrupt`), keeps all others, and
 * the identity appended = delivered + dropped holds with exact numbers. Open trusts a valid seal, so
 * damage to a record inside is found (and counted) when the drain reads it; damage to the header or
 * the seal makes open read the whole segment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SEAL_BYTES, SEGMENT_HEADER_BYTES, scanSegment } from '../../../agent/diskbuffer/format.ts';
import { open } from '../../../agent/diskbuffer/index.ts';
import {
  content,
  copyDir,
  drain,
  dropped,
  numberOf,
  removeTempDirs,
  segmentFiles,
  tempDir,
} from './helpers.ts';

afterEach(removeTempDirs);

/** Two segments: ids 1..n1 (sealed: a reopen starts a new one) and n1+1..n1+n2. */
async function twoSegments(n1: number, n2: number, spread: number): Promise<string> {
  const dir = tempDir('sluice-diskbuffer-', true);
  let buf = await open(dir, { fsync: 'never' });
  for (let n = 1; n <= n1; n++) buf.append(content(n, spread));
  await buf.close();
  buf = await open(dir, { fsync: 'never' });
  for (let n = n1 + 1; n <= n1 + n2; n++) buf.append(content(n, spread));
  await buf.close();
  expect(segmentFiles(dir).length).toBe(2);
  return dir;
}

it('flip of every byte of a sealed segment: exactly the record hit is lost and counted, others intact', async () => {
  const N1 = 10;
  const N2 = 3;
  const dir = await twoSegments(N1, N2, 16);
  const name = segmentFiles(dir)[0] as string;
  const original = readFileSync(join(dir, name));
  const scan = scanSegment(original);
  const offsets = scan.records.map((r) => r.offset);
  expect(offsets.length).toBe(N1);
  // The seal (after the last record) only summarises: damage to it costs no record.
  const dataEnd = scan.seal?.dataEnd as number;
  expect(original.length - dataEnd).toBe(SEAL_BYTES);
  for (let i = 0; i < original.length; i++) {
    const d = copyDir(dir);
    const bad = Uint8Array.from(original);
    bad[i] = (bad[i] as number) ^ (1 << (i % 8));
    writeFileSync(join(d, name), bad);
    const buf = await open(d, { fsync: 'never' });
    const hit = i < SEGMENT_HEADER_BYTES || i >= dataEnd ? 0 : offsets.findLastIndex((o) => o <= i) + 1;
    const got = drain(buf).map((r) => numberOf(r.bytes, 16));
    const want = Array.from({ length: N1 + N2 }, (_, j) => j + 1).filter((n) => n !== hit);
    expect([i, got]).toEqual([i, want]); // never a wrong payload (numberOf would give -1)
    const s = buf.stats();
    expect([i, s.drops.corrupt.records, dropped(s.drops)]).toEqual([i, hit ? 1 : 0, hit ? 1 : 0]);
    expect(got.length + dropped(s.drops)).toBe(N1 + N2);
    if (i < SEGMENT_HEADER_BYTES) expect(s.recovery.badSegmentHeaders).toBe(1);
    await buf.close();
    // Counted once: a second open finds the same damage and counts nothing more.
    const again = await open(d, { fsync: 'never' });
    expect(dropped(again.stats().drops)).toBe(hit ? 1 : 0);
    await again.close();
  }
});

it('a zeroed 4 KiB page mid-segment costs exactly the records overlapping it', async () => {
  const N1 = 150;
  const dir = await twoSegments(N1, 5, 120);
  const name = segmentFiles(dir)[0] as string;
  const original = readFileSync(join(dir, name));
  const recs = scanSegment(original).records;
  expect(original.length).toBeGreaterThan(3 * 4096);
  const [from, to] = [4096, 8192];
  const overlapping = recs.filter((r) => r.offset < to && r.offset + r.size > from).map((r) => r.id);
  const bad = Uint8Array.from(original);
  bad.fill(0, from, to);
  writeFileSync(join(dir, name), bad);
  const buf = await open(dir, { fsync: 'never' });
  const got = drain(buf, 50).map((r) => numberOf(r.bytes, 120));
  const want = Array.from({ length: N1 + 5 }, (_, j) => j + 1).filter((n) => !overlapping.includes(n));
  expect(got).toEqual(want);
  expect(buf.stats().drops.corrupt.records).toBe(overlapping.length);
  expect(dropped(buf.stats().drops)).toBe(overlapping.length);
  await buf.close();
});

it('a flip in the newest segment’s last record is counted once (the position knew the id)', async () => {
  const dir = await twoSegments(4, 4, 16);
  const name = segmentFiles(dir)[1] as string;
  const bytes = readFileSync(join(dir, name));
  const scan = scanSegment(bytes);
  const last = scan.records[3]?.offset as number;
  for (const at of [last, last + 9, last + 60, (scan.seal?.dataEnd as number) - 1]) {
    const d = copyDir(dir);
    const bad = Uint8Array.from(bytes);
    bad[at] = (bad[at] as number) ^ 0x20;
    writeFileSync(join(d, name), bad);
    const buf = await open(d, { fsync: 'never' });
    expect(drain(buf).map((r) => numberOf(r.bytes, 16))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(dropped(buf.stats().drops)).toBe(1);
    await buf.close();
  }
});
