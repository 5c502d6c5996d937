import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { type DiskBuffer, type DropCounters, open } from '../../agent/diskbuffer/index.ts';
import { spawnDriver } from '../support/child.ts';

const RECORD_HEADER = 56;
const dirs: string[] = [];
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const meta = (i: number) => ({ samples: 10 * i, minTimeMs: 1000 * i, maxTimeMs: 1000 * i + 1 });
const total = (d: DropCounters) => Object.values(d).reduce((n, c) => n + c.records, 0);

/** 16 KiB bound, 4 KiB segments: record 1 is being sent when appends evict its segment. */
async function evictWhileSending(): Promise<{ buf: DiskBuffer; dir: string; appended: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-drops-inflight-'));
  dirs.push(dir);
  const buf = await open(dir, { maxBytes: 16 * 1024, segmentBytes: 4 * 1024, fsync: 'never' });
  buf.append(new Uint8Array(1000), meta(1));
  buf.sending(1);
  let appended = 1;
  while (buf.read(1)[0]?.id === 1) buf.append(new Uint8Array(1000), meta(++appended));
  return { buf, dir, appended };
}

/** The records of record 1's segment other than record 1 itself, evicted and counted at once. */
function othersEvicted(buf: DiskBuffer): number {
  return buf.read(1)[0]!.id - 2;
}

it('delivered after its eviction: not counted; the rest of its segment is', async () => {
  const { buf, appended } = await evictWhileSending();
  const others = othersEvicted(buf);
  expect(others).toBeGreaterThan(0);
  expect(buf.stats().drops.disk_bound).toMatchObject({ records: others, minTimeMs: 2000 });
  buf.ackOne(1); // the send succeeded
  buf.sent(1);
  const s = buf.stats();
  expect(s.drops.disk_bound).toMatchObject({
    records: others,
    samples: (10 * (2 + others + 1) * others) / 2,
  });
  expect(1 + s.records + total(s.drops)).toBe(appended);
  await buf.close();
  expect(total(buf.stats().drops)).toBe(others);
});

it('refused after its eviction: counted once, for the refusal', async () => {
  const { buf, appended } = await evictWhileSending();
  const others = othersEvicted(buf);
  buf.ackDropped(1, 'rejected_4xx');
  buf.sent(1);
  const s = buf.stats();
  expect(s.drops.rejected_4xx).toEqual({
    records: 1,
    bytes: RECORD_HEADER + 1000,
    samples: 10,
    minTimeMs: 1000,
    maxTimeMs: 1001,
  });
  expect(s.drops.disk_bound.records).toBe(others);
  expect(s.records + total(s.drops)).toBe(appended);
  await buf.close();
});

it('the send failed (no answer): counted disk_bound at sent(), with its meta; at close() if never sent()', async () => {
  const a = await evictWhileSending();
  const others = othersEvicted(a.buf);
  a.buf.sent(1);
  const s = a.buf.stats();
  expect(s.drops.disk_bound).toMatchObject({ records: others + 1, minTimeMs: 1000 });
  expect(s.records + total(s.drops)).toBe(a.appended);
  a.buf.ackOne(1); // a late ack of a record already counted: nothing changes
  expect(a.buf.stats().drops.disk_bound.records).toBe(others + 1);
  await a.buf.close();

  const b = await evictWhileSending();
  const othersB = othersEvicted(b.buf);
  await b.buf.close(); // still in flight: its answer will never come
  expect(b.buf.stats().drops.disk_bound).toMatchObject({ records: othersB + 1, minTimeMs: 1000 });
});

it('kill -9 while a held record waits for its answer: the next open counts it disk_bound, once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-drops-inflight-kill-'));
  dirs.push(dir);
  const driver = spawnDriver(new URL('./drops-driver.ts', import.meta.url), ['evicting', dir]);
  cleanup.push(() => driver.child.kill('SIGKILL'));
  const line = await driver.match(/evicted (\d+)\n/, 'the child evicted its in-flight head');
  driver.child.kill('SIGKILL');
  expect(await driver.exited).toBe('SIGKILL');
  const appended = Number(line[1]);

  const buf = await open(dir, { maxBytes: 16 * 1024, segmentBytes: 4 * 1024 });
  const s = buf.stats();
  // Record 1 (held) and the others of its segment (counted at eviction), nothing else.
  expect(s.drops.disk_bound).toMatchObject({ records: buf.read(1)[0]!.id - 1, minTimeMs: 1000 });
  expect(total(s.drops)).toBe(s.drops.disk_bound.records);
  expect(s.records + total(s.drops)).toBe(appended);
  const counted = s.drops.disk_bound.records;
  await buf.close();
  const again = await open(dir, { maxBytes: 16 * 1024, segmentBytes: 4 * 1024 });
  expect(again.stats().drops.disk_bound.records).toBe(counted);
  await again.close();
});
