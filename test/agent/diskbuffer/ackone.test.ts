/**
 * Out-of-order acknowledgement (DiskBuffer.ackOne), which the agent's sender needs for a live lane next
 * to a backfill lane with several requests in flight: acked records are never read again, the position
 * follows the oldest pending record, acks survive a restart (a crash re-delivers at most the acks not yet
 * persisted, never loses one), and records acknowledged ahead are never counted as dropped.
 */
import { afterEach, expect, it } from 'vitest';
import { AckedAhead } from '../../../agent/diskbuffer/acked.ts';
import { open } from '../../../agent/diskbuffer/index.ts';
import {
  content,
  copyDir,
  dropped,
  FakeClock,
  numberOf,
  removeTempDirs,
  segmentFiles,
  tempDir,
} from './helpers.ts';

afterEach(removeTempDirs);

const ids = (rs: Array<{ id: number }>) => rs.map((r) => r.id);
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const meta = (n: number) => ({ samples: n, minTimeMs: 1000 * n, maxTimeMs: 1000 * n + 1 });

it('AckedAhead: merges neighbours, clips below the position, counts, finds runs', () => {
  const a = new AckedAhead([[10, 12]]);
  for (const id of [5, 7, 6, 14, 13]) a.add(id);
  expect(a.ranges).toEqual([
    [5, 7],
    [10, 14],
  ]);
  expect(a.count).toBe(8);
  a.add(6); // already held
  expect(a.count).toBe(8);
  expect([a.has(4), a.has(5), a.has(8), a.has(14), a.has(15)]).toEqual([false, true, false, true, false]);
  expect(a.within(6, 11)).toBe(4);
  expect(a.runAfter(9)).toBe(14);
  expect(a.runAfter(8)).toBe(8);
  a.clip(11);
  expect(a.ranges).toEqual([[12, 14]]);
  expect(a.count).toBe(3);
});

it('acks in any order: acked records are not read again; the position moves to the oldest pending one', async () => {
  const dir = tempDir();
  const buf = await open(dir, { segmentBytes: 1024, fsync: 'never' });
  for (const n of range(1, 40)) buf.append(content(n));
  expect(segmentFiles(dir).length).toBeGreaterThan(3);
  // The live lane acks the newest; the backfill lane has 1..3 in flight, answered 2, 3, then 1.
  for (const id of [40, 39, 2, 3]) buf.ackOne(id);
  expect(ids(buf.read(3))).toEqual([1, 4, 5]);
  expect(buf.count).toBe(36);
  expect(buf.stats().doneThrough).toBe(0);
  buf.ackOne(1);
  expect(buf.stats().doneThrough).toBe(3);
  expect(ids(buf.read(2))).toEqual([4, 5]);
  buf.ackOne(1); // again: no-op
  buf.ackOne(40); // acked long ago: no-op
  expect(buf.count).toBe(35);
  expect(() => buf.ackOne(41)).toThrow(/beyond the last id 40/);
  for (const id of range(4, 38).reverse()) buf.ackOne(id);
  expect(buf.count).toBe(0);
  expect(buf.read(10)).toEqual([]);
  expect(buf.stats().doneThrough).toBe(40);
  expect(segmentFiles(dir)).toHaveLength(1); // fully acked segments deleted
  expect(dropped(buf.stats().drops)).toBe(0);
  await buf.close();
});

it('out-of-order acks survive close and reopen; after a crash at most the unpersisted acks come back', async () => {
  const dir = tempDir();
  const clock = new FakeClock();
  const buf = await open(dir, { fsync: 'always', positionIntervalMs: 1000, clock });
  for (const n of range(1, 10)) buf.append(content(n));
  buf.ackOne(5);
  buf.ackOne(9);
  buf.flush();
  // A crash now: a copy of the files as they are (the second open of a copy stands for the restart).
  clock.mono += 10; // within the position interval: this ack is not persisted yet
  buf.ackOne(7);
  const crashed = await open(copyDir(dir));
  expect(ids(crashed.read(10)).map(Number)).toEqual([1, 2, 3, 4, 6, 7, 8, 10]); // 7 again: a duplicate
  expect(crashed.read(10).map((r) => numberOf(r.bytes))).toEqual([1, 2, 3, 4, 6, 7, 8, 10]);
  expect(crashed.count).toBe(8);
  await crashed.close();
  await buf.close();
  const again = await open(dir);
  expect(ids(again.read(10))).toEqual([1, 2, 3, 4, 6, 8, 10]);
  expect(again.count).toBe(7);
  expect(again.stats().recovery.positionStale).toBe(false);
  expect(dropped(again.stats().drops)).toBe(0);
  await again.close();
});

it('the byte bound counts only records never acknowledged: acked-ahead ones are delivered, not lost', async () => {
  const dir = tempDir();
  const buf = await open(dir, { maxBytes: 8 * 1024, segmentBytes: 2 * 1024, fsync: 'never' });
  const N = 300;
  const ackedAhead = new Set<number>();
  for (const n of range(1, N)) {
    buf.append(content(n), meta(n));
    // Every third record is acknowledged at once (live), the rest wait (backlog) and are evicted.
    if (n % 3 === 0) {
      buf.ackOne(n);
      ackedAhead.add(n);
    }
  }
  const left = buf.read(N).map((r) => numberOf(r.bytes));
  const lost = range(1, N).filter((n) => !ackedAhead.has(n) && !left.includes(n));
  const s = buf.stats();
  expect(s.drops.disk_bound.records).toBe(lost.length);
  expect(s.drops.disk_bound.samples).toBe(lost.reduce((a, n) => a + meta(n).samples, 0));
  expect(left.every((n) => n % 3 !== 0)).toBe(true);
  // The identity: produced = acknowledged + still buffered + dropped.
  expect(ackedAhead.size + left.length + lost.length).toBe(N);
  expect(buf.count).toBe(left.length);
  await buf.close();
});

it('ackDropped in any order counts the record with its meta and leaves the others pending', async () => {
  const dir = tempDir();
  const buf = await open(dir, { segmentBytes: 1024 });
  for (const n of range(1, 30)) buf.append(content(n), meta(n));
  buf.ackDropped(25, 'rejected_4xx'); // not the head, and not in the cached head segment
  buf.ackDropped(2, 'rejected_4xx');
  const s = buf.stats();
  expect(s.drops.rejected_4xx).toMatchObject({ records: 2, samples: 27, minTimeMs: 2000, maxTimeMs: 25_001 });
  expect(ids(buf.read(30))).toEqual(range(1, 30).filter((n) => n !== 2 && n !== 25));
  buf.ackDropped(2, 'rejected_4xx'); // again: no-op
  expect(buf.stats().drops.rejected_4xx.records).toBe(2);
  await buf.close();
});
