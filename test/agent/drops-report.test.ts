import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.ts';
import { open } from '../../agent/diskbuffer/index.ts';
import { dropReport } from '../../agent/drops.ts';
import { createAgentMetrics } from '../../agent/metrics.ts';
import { gauge } from '../../agent/model.ts';
import type { EncodedPayload } from '../../agent/payload.ts';
import { SeqAllocator } from '../../agent/seq.ts';
import { StateDir } from '../../agent/state.ts';
import { logger } from '../../common/log.ts';
import { Registry } from '../../common/metrics.ts';
import { AgentPayload } from '../../proto/index.ts';
import { spawnDriver } from '../support/child.ts';

const RECORD_HEADER = 56; // agent/diskbuffer/index.ts: the record header before each payload
const dirs: string[] = [];
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-drops-report-'));
  dirs.push(d);
  return d;
}

/** A collector of `n` gauges whose values depend on the pass time. */
function collector(n: number) {
  return {
    collect: async (nowMs: number) => ({
      points: Array.from({ length: n }, (_, i) => gauge(`synthetic_gauge_${i}`, (nowMs / 1000) % 97)),
      collectors: [],
      bootTime: 1,
    }),
  };
}

it('each payload carries the cumulative disk_bound report as of when it was built, equal to what was lost', async () => {
  const root = temp();
  // 4 KiB segments under a 16 KiB bound: ~1.3 KiB payloads evict whole old segments.
  const buffer = await open(join(root, 'buffer'), {
    maxBytes: 16 * 1024,
    segmentBytes: 4 * 1024,
    fsync: 'never',
  });
  const state = new StateDir(join(root, 'state'));
  const agent = new Agent({
    collector: collector(30),
    state,
    seq: new SeqAllocator(state.seqStore()),
    buffer,
    drops: () => dropReport(buffer.stats()),
    metrics: createAgentMetrics(new Registry()),
    log: logger('agent-test', 'silent'),
    agentId: 'agent-drops',
    host: { hostname: 'h', os: 'linux', arch: 'x64', agentVersion: '0' },
    stamp: { job: 'node', instance: 'h' },
    maxSeries: 15,
    forgetAfterPasses: 10,
  });
  const built: EncodedPayload[] = [];
  const timeOf = new Map<number, number>();
  for (let pass = 1; pass <= 40; pass++) {
    const before = dropReport(buffer.stats());
    const nowMs = 1_700_000_000_000 + pass * 1000;
    const payloads = await agent.tick(nowMs);
    expect(payloads).toHaveLength(2);
    for (const p of payloads) {
      built.push(p);
      timeOf.set(p.seq, nowMs);
      // Exactly the report of the moment it was built (appending it may evict more: the next one says).
      expect(AgentPayload.decode(p.bytes).drops ?? undefined, `seq ${p.seq}`).toEqual(
        before === undefined ? undefined : expect.objectContaining(before),
      );
    }
  }
  // Ground truth: what was built and is no longer buffered (nothing was sent or acked).
  const kept = new Set(buffer.read(1000).map((r) => Number(AgentPayload.decode(r.bytes).seq)));
  const lost = built.filter((p) => !kept.has(p.seq));
  expect(lost.length).toBeGreaterThan(20);
  expect(kept.size + lost.length).toBe(80);
  // The oldest went first: the lost seqs are exactly 1..lost.length.
  expect(lost.map((p) => p.seq)).toEqual(Array.from({ length: lost.length }, (_, i) => i + 1));
  const expected = {
    epoch: buffer.stats().epoch,
    counts: [
      {
        reason: 'disk_bound',
        payloads: lost.length,
        samples: lost.reduce((n, p) => n + p.samples, 0),
        bytes: lost.reduce((n, p) => n + RECORD_HEADER + p.bytes.length, 0),
        minTimeMs: timeOf.get(lost[0]!.seq),
        maxTimeMs: timeOf.get(lost.at(-1)!.seq),
      },
    ],
  };
  const [next] = await agent.tick(1_700_000_000_000 + 41_000);
  expect(AgentPayload.decode(next!.bytes).drops).toEqual(expected);
  await buffer.close();
});

it('ackDropped counts rejected_4xx with its meta, persisted with the ack at once: kill -9 keeps both', async () => {
  const dir = temp();
  const driver = spawnDriver(new URL('./drops-driver.ts', import.meta.url), ['rejected', dir]);
  cleanup.push(() => driver.child.kill('SIGKILL'));
  const line = await driver.match(/dropped (\d+)\n/, 'the child dropped its head');
  driver.child.kill('SIGKILL');
  expect(await driver.exited).toBe('SIGKILL');

  const buf = await open(dir);
  const s = buf.stats();
  expect(s.epoch).toBe(Number(line[1]));
  expect(s.drops.rejected_4xx).toEqual({
    records: 1,
    bytes: RECORD_HEADER + 100,
    samples: 10,
    minTimeMs: 1000,
    maxTimeMs: 1001,
  });
  // The ack went with the count: the refused record is not sent again; the other two are.
  expect(buf.read(10).map((r) => r.bytes.length)).toEqual([200, 300]);
  expect(dropReport(s)).toEqual({
    epoch: s.epoch,
    counts: [
      { reason: 'rejected_4xx', payloads: 1, samples: 10, bytes: 156, minTimeMs: 1000, maxTimeMs: 1001 },
    ],
  });
  // Already acked: a second ackDropped of it counts nothing.
  buf.ackDropped(1, 'rejected_4xx');
  expect(buf.stats().drops.rejected_4xx.records).toBe(1);
  await buf.close();
});

it('the epoch stays with its counters: same after reopen, new for a new directory or a lost position', async () => {
  const dir = temp();
  const a = await open(dir);
  a.append(new Uint8Array(10), { samples: 1, minTimeMs: 5, maxTimeMs: 5 });
  a.ackDropped(1, 'rejected_4xx');
  const epoch = a.stats().epoch;
  expect(Number.isSafeInteger(epoch) && epoch > 0).toBe(true);
  await a.close();

  const b = await open(dir);
  expect([b.stats().epoch, b.stats().drops.rejected_4xx.records]).toEqual([epoch, 1]);
  await b.close();

  const other = await open(temp());
  expect(other.stats().epoch).not.toBe(epoch);
  await other.close();

  // The position (which holds the counters) is gone: they restart from zero under a new epoch, so a
  // receiver keeping the max per epoch does not take the zeros for "nothing new".
  unlinkSync(join(dir, 'position'));
  const c = await open(dir);
  expect(c.stats().drops.rejected_4xx.records).toBe(0);
  expect(c.stats().epoch).not.toBe(epoch);
  expect(dropReport(c.stats())).toBeUndefined();
  await c.close();
});
