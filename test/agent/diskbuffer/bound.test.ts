/**
 * Byte bound (agent-buffer-notes §5.6) and clock jumps (§5.8): segment bytes never exceed maxBytes; the
 * oldest segment goes first and exactly its unacked records are counted `disk_bound` with their samples
 * and time range; the newest data is intact; nothing is deleted, expired or reordered by time, whatever
 * the wall clock does.
 */
import { afterEach, expect, it } from 'vitest';
import { open } from '../../../agent/diskbuffer/index.ts';
import {
  content,
  drain,
  dropped,
  FakeClock,
  numberOf,
  removeTempDirs,
  segmentBytes,
  tempDir,
} from './helpers.ts';

afterEach(removeTempDirs);

const meta = (n: number) => ({ samples: (n % 5) + 1, minTimeMs: 1000 * n, maxTimeMs: 1000 * n + 500 });

it('never exceeds maxBytes; drops the oldest and counts exactly its unacked records, samples and times', async () => {
  const dir = tempDir();
  const maxBytes = 64 * 1024;
  const buf = await open(dir, { maxBytes, segmentBytes: 8 * 1024, fsync: 'never' });
  const N = 2000;
  let acked = 0;
  for (let n = 1; n <= N; n++) {
    expect(buf.append(content(n), meta(n))).toBe(n);
    expect(segmentBytes(dir)).toBeLessThanOrEqual(maxBytes);
    expect(buf.stats().diskBytes).toBe(segmentBytes(dir));
    if (n === 300) {
      // Some of the oldest are acked before eviction reaches them: those are not losses.
      const head = buf.read(1)[0]?.id as number;
      acked = head + 40;
      buf.ack(acked);
    }
  }
  const got = drain(buf, 100).map((r) => numberOf(r.bytes));
  const first = got[0] as number;
  expect(got).toEqual(Array.from({ length: N - first + 1 }, (_, i) => first + i)); // newest intact, in order
  const lost = Array.from({ length: first - 1 }, (_, i) => i + 1).filter((n) => n > acked);
  const s = buf.stats();
  expect(s.drops.disk_bound.records).toBe(lost.length);
  expect(s.drops.disk_bound.samples).toBe(lost.reduce((a, n) => a + meta(n).samples, 0));
  expect(s.drops.disk_bound.minTimeMs).toBe(meta(lost[0] as number).minTimeMs);
  expect(s.drops.disk_bound.maxTimeMs).toBe(meta(lost[lost.length - 1] as number).maxTimeMs);
  expect(dropped(s.drops)).toBe(lost.length);
  // The identity: produced = acked before + delivered now + dropped.
  expect(acked + got.length + lost.length).toBe(N);
  await buf.close();
  const again = await open(dir, { maxBytes, segmentBytes: 8 * 1024 });
  expect(again.stats().drops.disk_bound.records).toBe(lost.length); // persisted, cumulative
  await again.close();
});

it('a record larger than the bound is dropped itself and counted `too_large`, without an id', async () => {
  const dir = tempDir();
  const buf = await open(dir, { maxBytes: 4096 });
  expect(buf.append(new Uint8Array(5000), meta(1))).toBe(0);
  expect(buf.append(content(2))).toBe(1);
  expect(buf.stats().drops.too_large).toMatchObject({ records: 1, samples: 2 });
  expect(drain(buf).map((r) => numberOf(r.bytes))).toEqual([2]);
  await buf.close();
});

it('wall clock jumps (+1 day, −1 h, +10 years) delete, expire and reorder nothing; intervals use the monotonic clock', async () => {
  const dir = tempDir();
  const clock = new FakeClock();
  const start = clock.wall;
  const buf = await open(dir, { clock, fsync: 'interval', fsyncIntervalMs: 1000, maxBytes: 1 << 20 });
  const jumps = [86_400_000, -3_600_000, 10 * 365 * 86_400_000, -10 * 365 * 86_400_000];
  for (let n = 1; n <= 40; n++) {
    if (n % 10 === 0) clock.wall += jumps[n / 10 - 1] as number;
    buf.append(content(n));
  }
  const s = buf.stats();
  expect(dropped(s.drops)).toBe(0);
  expect(s.oldestAppendMs).toBe(start); // the first record's stamp, not the earliest wall time seen
  // The monotonic clock did not move: interval fsync waited, whatever the wall clock said.
  expect(s.counters.fsyncs).toBe(0);
  clock.mono += 1000;
  buf.append(content(41));
  expect(buf.stats().counters.fsyncs).toBe(1);
  const got = drain(buf);
  expect(got.map((r) => numberOf(r.bytes))).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  expect(got[39]?.appendMs).toBe(start + 86_400_000 - 3_600_000); // stamps kept as collected
  await buf.close();
});
