import { afterEach, expect, it } from 'vitest';
import type { PayloadBuffer } from '../../../agent/buffer.ts';
import { open } from '../../../agent/diskbuffer/index.ts';
import { content, drain, numberOf, removeTempDirs, segmentFiles, tempDir } from './helpers.ts';

afterEach(removeTempDirs);

it('append returns increasing ids; read peeks oldest first; ack is cumulative; close/reopen keeps the rest', async () => {
  const dir = tempDir();
  const buf = await open(dir, { fsync: 'always' });
  const ids = [1, 2, 3, 4, 5].map((n) => buf.append(content(n)));
  expect(ids).toEqual([1, 2, 3, 4, 5]);
  expect(buf.read(2).map((r) => numberOf(r.bytes))).toEqual([1, 2]);
  expect(buf.read(2).map((r) => r.id)).toEqual([1, 2]); // peek: nothing removed
  buf.ack(2);
  expect(buf.read(10).map((r) => r.id)).toEqual([3, 4, 5]);
  expect(buf.count).toBe(3);
  buf.ack(1); // at or below an earlier ack: no-op
  expect(buf.count).toBe(3);
  expect(() => buf.ack(6)).toThrow(/beyond the last id 5/);
  await buf.close();
  await buf.close(); // idempotent

  const again = await open(dir, { fsync: 'always' });
  expect(again.read(10).map((r) => numberOf(r.bytes))).toEqual([3, 4, 5]);
  expect(again.append(content(6))).toBe(6);
  expect(drain(again).map((r) => numberOf(r.bytes))).toEqual([3, 4, 5, 6]);
  expect(again.stats().drops.corrupt.records + again.stats().drops.torn_tail.records).toBe(0);
  await again.close();
});

it('fits the agent PayloadBuffer seam (append/read/ack/count/bytes) as the sender uses it', async () => {
  const dir = tempDir();
  const buf: PayloadBuffer = await open(dir);
  buf.append(content(1));
  buf.append(content(2));
  expect(buf.count).toBe(2);
  expect(buf.bytes).toBeGreaterThan(0);
  const head = buf.read(1)[0];
  expect(head && numberOf(head.bytes)).toBe(1);
  if (head) buf.ack(head.id);
  expect(buf.read(5).map((r) => numberOf(r.bytes))).toEqual([2]);
  await (buf as unknown as { close(): Promise<void> }).close();
});

it('rolls segments at the size bound and deletes fully acked ones; disk returns to one segment after a drain', async () => {
  const dir = tempDir();
  const buf = await open(dir, { segmentBytes: 4096, maxBytes: 1 << 20 });
  for (let n = 1; n <= 200; n++) buf.append(content(n));
  expect(segmentFiles(dir).length).toBeGreaterThan(5);
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  expect(segmentFiles(dir).length).toBe(1);
  expect(buf.stats().records).toBe(0);
  await buf.close();
});

it('stats: bytes, records, oldest append time, drops per reason', async () => {
  const dir = tempDir();
  let wall = 5_000;
  const buf = await open(dir, { clock: { monoMs: () => 0, wallMs: () => wall } });
  buf.append(content(1));
  wall = 6_000;
  buf.append(content(2));
  const s = buf.stats();
  expect(s.records).toBe(2);
  expect(s.oldestAppendMs).toBe(5_000);
  expect(s.diskBytes).toBeGreaterThan(0);
  expect(Object.keys(s.drops).sort()).toEqual(
    [
      'corrupt',
      'disk_bound',
      'lost_on_close',
      'memory_overflow',
      'missing',
      'too_large',
      'torn_tail',
      'rejected_4xx',
    ].sort(),
  );
  buf.ack(1);
  expect(buf.stats().oldestAppendMs).toBe(6_000);
  await buf.close();
});
