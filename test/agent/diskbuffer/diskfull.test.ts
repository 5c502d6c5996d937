/**
 * Disk full / read-only / I/O errors through the injected filesystem (agent-buffer-notes §5.5): append
 * never throws; the buffer degrades to a bounded memory queue (overflow drops the oldest, counted
 * exactly), says so in stats, and writes memory back to disk in order when the disk takes writes again.
 */
import { afterEach, expect, it } from 'vitest';
import { open } from '../../../agent/diskbuffer/index.ts';
import {
  content,
  drain,
  dropped,
  FakeClock,
  FaultyFs,
  numberOf,
  removeTempDirs,
  tempDir,
} from './helpers.ts';

afterEach(removeTempDirs);

it('ENOSPC mid-record: no throw, memory bounded and counted exactly, disk resumes when space returns', async () => {
  const dir = tempDir();
  const fs = new FaultyFs();
  const clock = new FakeClock();
  const rec = (n: number) => 56 + content(n).length;
  const buf = await open(dir, { fs, clock, fsync: 'always', maxMemoryBytes: 2000, retryIntervalMs: 10_000 });
  for (let n = 1; n <= 20; n++) buf.append(content(n));
  fs.budget = fs.written + 60; // the next record (≥ 64 bytes) is cut short by the kernel, then ENOSPC
  const memory: number[] = [];
  for (let n = 21; n <= 60; n++) {
    expect(buf.append(content(n))).toBe(n);
    memory.push(n);
  }
  const s = buf.stats();
  expect(s.degraded?.code).toBe('ENOSPC');
  // What memory keeps: the newest records whose bytes fit in maxMemoryBytes; the rest dropped oldest-first.
  const split = (ids: number[]) => {
    let keep = 0;
    let bytes = 0;
    for (let i = ids.length - 1; i >= 0 && bytes + rec(ids[i] as number) <= 2000; i--) {
      bytes += rec(ids[i] as number);
      keep++;
    }
    return { keep, lost: ids.slice(0, ids.length - keep) };
  };
  let { keep, lost } = split(memory);
  expect(s.memoryRecords).toBe(keep);
  expect(s.drops.memory_overflow.records).toBe(lost.length);
  expect(s.drops.memory_overflow.bytes).toBe(lost.reduce((a, n) => a + rec(n), 0));
  expect(s.records).toBe(20 + keep);

  // Not yet due: the retry waits for retryIntervalMs on the monotonic clock; 61 goes to memory too.
  fs.budget = Number.POSITIVE_INFINITY;
  buf.append(content(61));
  memory.push(61);
  ({ keep, lost } = split(memory));
  expect(buf.stats().degraded?.code).toBe('ENOSPC');
  expect(buf.stats().drops.memory_overflow.records).toBe(lost.length);
  clock.mono += 10_000;
  buf.append(content(62));
  expect(buf.stats().degraded).toBeUndefined();
  expect(buf.stats().memoryRecords).toBe(0);
  expect(buf.stats().counters.recoveredFromDegraded).toBe(1);
  await buf.close();

  // After a reopen: the cut record was truncated away (no torn tail), order kept, identity exact.
  const again = await open(dir, { fs, clock });
  const got = drain(again).map((r) => numberOf(r.bytes));
  const want = [...Array.from({ length: 62 }, (_, i) => i + 1)].filter((n) => !lost.includes(n));
  expect(got).toEqual(want);
  expect(again.stats().drops.torn_tail.records).toBe(0);
  expect(dropped(again.stats().drops)).toBe(lost.length);
  expect(got.length + dropped(again.stats().drops)).toBe(62);
  await again.close();
});

it('read-only directory: appends go to memory, are readable and ackable from there, disk resumes later', async () => {
  const dir = tempDir();
  const fs = new FaultyFs();
  const clock = new FakeClock();
  const buf = await open(dir, { fs, clock, retryIntervalMs: 1000 });
  buf.append(content(1));
  fs.readOnly = true;
  clock.mono += 5000;
  for (let n = 2; n <= 5; n++) buf.append(content(n));
  expect(buf.stats().degraded?.code).toBe('EROFS');
  expect(buf.read(10).map((r) => numberOf(r.bytes))).toEqual([1, 2, 3, 4, 5]);
  buf.ack(3); // 1 from disk, 2..3 from memory
  expect(buf.stats().memoryRecords).toBe(2);
  clock.mono += 1000;
  buf.append(content(6)); // still read-only: retried and refused
  expect(buf.stats().degraded?.code).toBe('EROFS');
  fs.readOnly = false;
  buf.retryNow();
  expect(buf.stats().degraded).toBeUndefined();
  await buf.close();
  const again = await open(dir, { fs });
  expect(drain(again).map((r) => numberOf(r.bytes))).toEqual([4, 5, 6]);
  expect(dropped(again.stats().drops)).toBe(0);
  await again.close();
});

it('a read-only directory at open: opens degraded, keeps what is on disk readable', async () => {
  const dir = tempDir();
  const fs = new FaultyFs();
  const first = await open(dir, { fs });
  first.append(content(1));
  await first.close();
  fs.readOnly = true;
  const buf = await open(dir, { fs });
  expect(buf.stats().degraded?.code).toBe('EROFS');
  buf.append(content(2));
  expect(buf.read(5).map((r) => numberOf(r.bytes))).toEqual([1, 2]);
  await buf.close();
  // Memory could not reach the disk: counted on close, never silently.
  expect(buf.stats().drops.lost_on_close.records).toBe(1);
});

it('EIO on fdatasync (fsync always): that record stays in memory, is written once later, no duplicate', async () => {
  const dir = tempDir();
  const fs = new FaultyFs();
  const clock = new FakeClock();
  const buf = await open(dir, { fs, clock, fsync: 'always', retryIntervalMs: 100 });
  buf.append(content(1));
  fs.failFdatasync = 1;
  buf.append(content(2));
  expect(buf.stats().degraded?.code).toBe('EIO');
  expect(buf.stats().memoryRecords).toBe(1);
  clock.mono += 100;
  buf.append(content(3));
  expect(buf.stats().degraded).toBeUndefined();
  await buf.close();
  const again = await open(dir, { fs });
  expect(drain(again).map((r) => numberOf(r.bytes))).toEqual([1, 2, 3]);
  expect(dropped(again.stats().drops)).toBe(0);
  await again.close();
});
