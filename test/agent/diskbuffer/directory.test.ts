/**
 * A broken buffer directory (agent-buffer-notes §5.4): zero-length and junk files, a segment-named file
 * of junk, a missing / damaged / contradictory position, a position naming a deleted segment, leftover
 * temp files. Open never wipes: it replays from the oldest record it can trust (duplicates only of
 * acked records) and counts exactly what is gone.
 */
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { open } from '../../../agent/diskbuffer/index.ts';
import { decodePosition, encodePosition } from '../../../agent/diskbuffer/position.ts';
import { content, drain, dropped, numberOf, removeTempDirs, segmentFiles, tempDir } from './helpers.ts';

afterEach(removeTempDirs);

const upTo = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Segments of ids 1..10, 11..20, 21..30 (a reopen starts a segment), acked through `acked`. */
async function threeSegments(acked: number): Promise<string> {
  const dir = tempDir();
  for (let s = 0; s < 3; s++) {
    const buf = await open(dir);
    for (let n = s * 10 + 1; n <= s * 10 + 10; n++) buf.append(content(n));
    await buf.close();
  }
  const buf = await open(dir);
  buf.ack(acked);
  await buf.close();
  return dir;
}

it('zero-length segment, junk files and a segment-named junk file: ignored or removed, nothing lost', async () => {
  const dir = await threeSegments(0);
  writeFileSync(join(dir, 'seg-00000000000000ff.log'), '');
  writeFileSync(join(dir, 'README'), 'hello');
  writeFileSync(join(dir, 'seg-1.log'), 'short name');
  writeFileSync(join(dir, 'seg-0000000000000011.log.bak'), 'x');
  writeFileSync(join(dir, 'seg-0000000000000100.log'), Buffer.alloc(5000, 0x5a));
  writeFileSync(join(dir, 'position.tmp'), 'half-written');
  const buf = await open(dir);
  const s = buf.stats();
  expect(s.recovery).toMatchObject({ emptyFiles: 1, junkFiles: 3, uselessSegments: 1, tmpFiles: 1 });
  expect(dropped(s.drops)).toBe(0);
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual(upTo(1, 30));
  expect(existsSync(join(dir, 'seg-00000000000000ff.log'))).toBe(false);
  expect(existsSync(join(dir, 'seg-0000000000000100.log'))).toBe(false);
  expect(existsSync(join(dir, 'position.tmp'))).toBe(false);
  expect(existsSync(join(dir, 'README'))).toBe(true); // not ours: left alone
  expect(buf.append(content(31))).toBe(31); // the junk names were deleted: no collision to avoid
  await buf.close();
});

it('missing position: replays from the oldest record on disk; duplicates only of acked records', async () => {
  const dir = await threeSegments(5);
  unlinkSync(join(dir, 'position'));
  const buf = await open(dir);
  expect(buf.stats().recovery.positionMissing).toBe(true);
  expect(dropped(buf.stats().drops)).toBe(0);
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual(upTo(1, 30)); // 1..5 again: acked, deduped upstream
  await buf.close();
});

it('damaged position: the same replay, never a wipe', async () => {
  const dir = await threeSegments(15); // segment 1..10 is gone, acked
  const p = readFileSync(join(dir, 'position'));
  p[5] = (p[5] as number) ^ 0x01;
  writeFileSync(join(dir, 'position'), p);
  const buf = await open(dir);
  expect(buf.stats().recovery.positionCorrupt).toBe(true);
  expect(dropped(buf.stats().drops)).toBe(0);
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual(upTo(11, 30));
  await buf.close();
});

it('a position pointing past the end of its segment is stale: replay all, lose nothing', async () => {
  const dir = await threeSegments(12);
  const p = decodePosition(readFileSync(join(dir, 'position')));
  if (!p) throw new Error('no position');
  writeFileSync(join(dir, 'position'), encodePosition({ ...p, offset: 1e9 }));
  const buf = await open(dir);
  expect(buf.stats().recovery.positionStale).toBe(true);
  expect(dropped(buf.stats().drops)).toBe(0);
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual(upTo(11, 30));
  await buf.close();
});

it('a position acking more than was ever assigned is stale too', async () => {
  const dir = await threeSegments(0);
  const p = decodePosition(readFileSync(join(dir, 'position')));
  if (!p) throw new Error('no position');
  writeFileSync(join(dir, 'position'), encodePosition({ ...p, doneThrough: 1_000_000 }));
  const buf = await open(dir);
  expect(buf.stats().recovery.positionStale).toBe(true);
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual(upTo(1, 30));
  await buf.close();
});

it('a segment deleted behind our back: exactly its unacked ids counted `missing`, the rest delivered', async () => {
  const dir = await threeSegments(13);
  const files = segmentFiles(dir);
  expect(files.length).toBe(2); // 11..20 and 21..30
  unlinkSync(join(dir, files[0] as string));
  const buf = await open(dir);
  const s = buf.stats();
  expect(s.drops.missing.records).toBe(7); // 14..20
  expect(dropped(s.drops)).toBe(7);
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual(upTo(21, 30));
  await buf.close();
  const again = await open(dir);
  expect(dropped(again.stats().drops)).toBe(7); // not counted twice
  await again.close();
});

it('state and segments all gone: a fresh buffer, no invented losses', async () => {
  const dir = await threeSegments(3);
  for (const f of segmentFiles(dir)) rmSync(join(dir, f));
  unlinkSync(join(dir, 'position'));
  const buf = await open(dir);
  expect(dropped(buf.stats().drops)).toBe(0);
  expect(buf.read(5)).toEqual([]);
  buf.append(content(1));
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual([1]);
  await buf.close();
});
