/**
 * Acceptance test 6 (agent-buffer-notes §5), end to end: the real agent process with a 1 MiB buffer
 * bound (64 KiB segments) collects every second from a synthetic procfs while ingest is unreachable (a
 * proxy in front of the real ingest cuts every connection) until it has produced three times the
 * bound; then ingest is reachable again, slow for its first 3 s (so that appends evict records the
 * sender has in flight). Checked against ground truth taken from the agent's disk and
 * the proxy (test/agent/e2e-support.ts), never from the agent's own accounting:
 * - the segment files never exceed the bound (sampled every 100 ms);
 * - produced = delivered exactly once (every 1m/1h rollup's n, sum, min, max, inc) + dropped, the
 *   dropped being the oldest payloads, the newest intact;
 * - ingest exports, for this agent, exactly the payloads, samples, bytes and sample time range that
 *   are missing from the rollups, all as `disk_bound`, and nothing else;
 * - after the drain the buffer is one segment again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../support/pipeline.ts';
import { uniqueName, until } from '../support/wait.ts';
import {
  type DiskRecord,
  expectExportedDrops,
  expectRollups,
  KEY,
  type Pipeline,
  type Rule,
  readSegments,
  recordingProxy,
  samplesOf,
  startPipeline,
  syntheticProc,
  truthOf,
} from './e2e-support.ts';

const MAX_BYTES = 1024 * 1024;
const SEGMENT_BYTES = 64 * 1024;
const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
}, 120_000);

it('byte bound: never above it on disk; produced = delivered once + the disk_bound drops ingest exports', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-e2e-bound-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  let pipeline: Pipeline | undefined;
  cleanup.push(async () => expect(await pipeline?.stop()).toEqual([0, 0, 0]));
  pipeline = await startPipeline('bound', dir);
  const proc = syntheticProc(join(dir, 'host'), 20); // 320 counters + 3 gauges per pass
  const rule: { current: Rule } = { current: () => 'destroy' }; // ingest unreachable
  const proxy = await recordingProxy(pipeline.ingest.url, rule);
  cleanup.push(() => proxy.close());
  // A long instance label makes each series ~400 bytes: ~120 KB per pass, 3 MiB in under 30 passes.
  const instance = `${uniqueName('bound')}-${'x'.repeat(260)}`;
  const stateDir = join(dir, 'state');
  const bufferDir = join(stateDir, 'buffer');

  // Ground truth from the disk, and the bound, sampled every 100 ms; the counters move on each time.
  const onDisk = new Map<number, DiskRecord>();
  let peakBytes = 0;
  let segments = 0;
  let samples = 0;
  const sample = () => {
    const s = readSegments(bufferDir, onDisk);
    peakBytes = Math.max(peakBytes, s.bytes);
    segments = s.segments;
    samples++;
    proc.advance();
  };
  const sampler = setInterval(sample, 100);
  cleanup.push(() => clearInterval(sampler));

  let agent: ServiceProcess | undefined;
  agent = await startService('agent', {
    prefix: pipeline.prefix,
    db: pipeline.db,
    env: {
      SLUICE_AGENT_INTERVAL_S: '1',
      SLUICE_AGENT_STATE_DIR: stateDir,
      SLUICE_AGENT_INGEST_URL: proxy.url,
      SLUICE_AGENT_API_KEY: KEY,
      SLUICE_AGENT_BUFFER_MAX_BYTES: String(MAX_BYTES),
      SLUICE_AGENT_BUFFER_SEGMENT_BYTES: String(SEGMENT_BYTES),
      SLUICE_AGENT_PROC_ROOT: proc.procRoot,
      SLUICE_AGENT_SYS_ROOT: proc.sysRoot,
      SLUICE_AGENT_INSTANCE: instance,
      SLUICE_AGENT_MAX_SERIES_PER_PAYLOAD: '50',
      SLUICE_AGENT_RETRY_BASE_MS: '100',
      SLUICE_AGENT_RETRY_CAP_MS: '500',
    },
  });
  cleanup.push(() => agent?.stop());

  const produced = () => [...onDisk.values()].reduce((n, r) => n + r.size, 0);
  await until(
    'three times the bound produced while ingest is unreachable',
    () => produced() >= 3 * MAX_BYTES,
    {
      timeoutMs: 240_000,
      everyMs: 200,
      describe: () => `${produced()} bytes in ${onDisk.size} payloads, peak ${peakBytes} on disk`,
    },
  );
  const outageEnd = Math.max(...onDisk.keys());
  expect(proxy.delivered().size).toBe(0);
  // Ingest is back, slow at first: for 3 s each answer takes 1.5 s, so the passes appended meanwhile
  // evict records the backfill lane has in flight (counted by the answer: delivered, not dropped).
  const slowUntil = Date.now() + 3000;
  rule.current = () => (Date.now() < slowUntil ? { forwardAfterMs: 1500 } : 'forward');

  // Drained: two passes later everything produced is delivered, and one segment is left.
  await until(
    'the backlog drained and one segment left',
    () => {
      const delivered = proxy.delivered();
      const newest = Math.max(...onDisk.keys(), ...proxy.payloads.keys());
      return newest >= outageEnd + 14 && delivered.has(newest) && segments === 1;
    },
    {
      timeoutMs: 180_000,
      everyMs: 200,
      describe: () => `segments ${segments}, delivered ${proxy.delivered().size}`,
    },
  );
  expect(await agent.stop()).toBe(0);
  agent = undefined;
  clearInterval(sampler);
  sample();

  // produced = every payload seen on disk or by the proxy; one run's seqs are contiguous from 1.
  const all = new Map(onDisk);
  for (const [seq, payload] of proxy.payloads) if (!all.has(seq)) all.set(seq, { seq, size: 0, payload });
  const seqs = [...all.keys()].sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  const delivered = proxy.delivered();
  const dropped = seqs.filter((s) => !delivered.has(s)).map((s) => all.get(s) as DiskRecord);
  // The oldest went, whole segments of them; the newest are intact. A payload older than a dropped one
  // got through only if a request had it in flight when its segment went: at most the sender's
  // requests in flight (4 backfill + 2 live) per segment evicted. The slow answers above make that
  // happen in every run; on a loaded machine ordinary answers can be slow enough too (a CI run: 4).
  expect(dropped.length).toBeGreaterThan(0);
  const lastDropped = dropped.at(-1)!.seq;
  expect(lastDropped).toBeLessThan(outageEnd);
  const inFlight = seqs.filter((s) => s < lastDropped && delivered.has(s));
  const evictions = Math.ceil(dropped.reduce((n, d) => n + d.size, 0) / SEGMENT_BYTES) + 1;
  expect(inFlight.length).toBeLessThanOrEqual(6 * evictions);
  const held = new Set(proxy.attempts.filter((a) => a.delayed && a.status === 204).map((a) => a.seq));
  console.log(
    `delivered although older than a dropped payload: ${inFlight.length} (${inFlight.filter((s) => held.has(s)).length} during the slow answers), segments evicted ≤ ${evictions}`,
  );
  expect(dropped.every((d) => d.size > 0)).toBe(true); // each was read from the disk before it went

  const times = dropped.flatMap((d) => samplesOf(d.payload).map((s) => s.t));
  const agentId = all.get(1)!.payload.agentId as string;
  const expectedDrops = {
    disk_bound: {
      payloads: dropped.length,
      samples: times.length,
      bytes: dropped.reduce((n, d) => n + d.size, 0),
      oldestS: Math.min(...times) / 1000,
      newestS: Math.max(...times) / 1000,
    },
  };
  await expectExportedDrops(pipeline.ingest.url, agentId, expectedDrops);

  const truth = truthOf(seqs.filter((s) => delivered.has(s)).map((s) => proxy.payloads.get(s)!));
  await expectRollups(pipeline.store, instance, truth, { timeoutMs: 240_000, everyMs: 2000 });
  expect(peakBytes).toBeLessThanOrEqual(MAX_BYTES);
  expect(segments).toBe(1);
  console.log(
    `byte bound: produced ${seqs.length} payloads (${produced()} B seen on disk), dropped ${dropped.length} ` +
      `(${expectedDrops.disk_bound.samples} samples), delivered ${delivered.size} (${inFlight.length} of them ` +
      `evicted while in flight), peak on disk ${peakBytes} B ` +
      `of ${MAX_BYTES}, ${samples} disk samples, ${truth.size} rollup documents`,
  );
}, 900_000);
