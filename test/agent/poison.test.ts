/**
 * Acceptance test 12 (agent-buffer-notes §5), end to end: poison and rejection. The real agent process
 * sends through a recording proxy in front of the real ingest, which answers 400 for seq 3, 413 for
 * seq 6, and 503 + Retry-After three times for seq 4 before letting it through. Ground truth is the
 * proxy's record of every attempt (test/agent/e2e-support.ts). Checked:
 * - seqs 3 and 6 are sent exactly once and dropped; seq 4 is retried until accepted; the drain goes on;
 * - each rejection is logged by the agent with its seq and samples, and is in the drop report
 *   (`rejected_4xx`, samples, bytes, time range) of the payloads built after it, not before;
 * - ingest exports exactly those two payloads for this agent, nothing else;
 * - the rollups hold every other payload exactly once (n, sum, min, max, inc of every document).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../support/pipeline.ts';
import { uniqueName, until } from '../support/wait.ts';
import {
  expectExportedDrops,
  expectRollups,
  KEY,
  type Pipeline,
  type Rule,
  recordingProxy,
  samplesOf,
  startPipeline,
  syntheticProc,
  truthOf,
} from './e2e-support.ts';

const RECORD_HEADER = 56;
const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
}, 120_000);

const poison: Rule = (seq, attempt) => {
  if (seq === 3) return { status: 400, body: { error: 'SLC_ERR_INGEST_TOO_MANY_LABELS', message: 'poison' } };
  if (seq === 6)
    return { status: 413, body: { error: 'SLC_ERR_INGEST_DECOMPRESSED_TOO_LARGE', message: 'big' } };
  if (seq === 4 && attempt <= 3)
    return { status: 503, body: { error: 'SLC_ERR_INGEST_OVERLOADED' }, headers: { 'retry-after': '1' } };
  return 'forward';
};

it('a 400 and a 413 are dropped once, reported as rejected_4xx and exported; a 503 is retried until accepted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-e2e-poison-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  let pipeline: Pipeline | undefined;
  cleanup.push(async () => expect(await pipeline?.stop()).toEqual([0, 0, 0]));
  pipeline = await startPipeline('poison', dir);
  const proc = syntheticProc(join(dir, 'host'), 5); // 80 counters + 3 gauges: one payload per pass
  const proxy = await recordingProxy(pipeline.ingest.url, { current: poison });
  cleanup.push(() => proxy.close());
  const instance = uniqueName('poison');
  let agent: ServiceProcess | undefined;
  agent = await startService('agent', {
    prefix: pipeline.prefix,
    db: pipeline.db,
    logDir: dir,
    env: {
      SLUICE_AGENT_INTERVAL_S: '1',
      SLUICE_AGENT_STATE_DIR: join(dir, 'state'),
      SLUICE_AGENT_INGEST_URL: proxy.url,
      SLUICE_AGENT_API_KEY: KEY,
      SLUICE_AGENT_PROC_ROOT: proc.procRoot,
      SLUICE_AGENT_SYS_ROOT: proc.sysRoot,
      SLUICE_AGENT_INSTANCE: instance,
      SLUICE_AGENT_RETRY_BASE_MS: '100',
      SLUICE_AGENT_RETRY_CAP_MS: '500',
    },
  });
  cleanup.push(() => agent?.stop());
  // The counters move on between passes (atomic file replacement), driven by what was delivered.
  await until(
    'the drain went on past both poison payloads',
    () => {
      proc.advance();
      return proxy.delivered().has(10);
    },
    { timeoutMs: 120_000, everyMs: 100, describe: () => JSON.stringify(proxy.attempts.slice(-5)) },
  );
  expect(await agent.stop()).toBe(0);
  agent = undefined;

  const statuses = (seq: number) => proxy.attempts.filter((a) => a.seq === seq).map((a) => a.status);
  expect(statuses(3)).toEqual([400]);
  expect(statuses(6)).toEqual([413]);
  expect(statuses(4)).toEqual([503, 503, 503, 204]);
  const seqs = [...proxy.payloads.keys()].sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  const delivered = proxy.delivered();
  expect(seqs.filter((s) => !delivered.has(s))).toEqual([3, 6]);

  // What each rejection lost, from the proxy's copy of the payload.
  const lost = (seq: number) => {
    const times = samplesOf(proxy.payloads.get(seq)!).map((s) => s.t);
    return {
      samples: times.length,
      bytes: RECORD_HEADER + proxy.lengths.get(seq)!,
      t: times[0]!,
      at: proxy.attempts.find((a) => a.seq === seq)!.atMs,
    };
  };
  const [l3, l6] = [lost(3), lost(6)];
  expect(samplesOf(proxy.payloads.get(3)!).every((s) => s.t === l3.t)).toBe(true);
  const after3 = {
    reason: 'rejected_4xx',
    payloads: 1,
    samples: l3.samples,
    bytes: l3.bytes,
    minTimeMs: l3.t,
    maxTimeMs: l3.t,
  };
  const after6 = {
    ...after3,
    payloads: 2,
    samples: l3.samples + l6.samples,
    bytes: l3.bytes + l6.bytes,
    maxTimeMs: l6.t,
  };
  // A payload carries the report as of when it was built: none before the first rejection, each
  // rejection from the first payload built after it (100 ms of slack between the proxy's answer and
  // the agent's ack).
  for (const seq of seqs) {
    const p = proxy.payloads.get(seq)!;
    const built = Number(p.createdMs);
    const counts = (p.drops?.counts ?? []).map((c) => ({ ...c, payloads: Number(c.payloads) }));
    if (built < l3.at) expect(counts, `seq ${seq}`).toEqual([]);
    else if (built > l3.at + 100 && built < l6.at) expect(counts, `seq ${seq}`).toEqual([after3]);
    else if (built > l6.at + 100) expect(counts, `seq ${seq}`).toEqual([after6]);
  }
  const firstAfter = (atMs: number) =>
    seqs.find((s) => Number(proxy.payloads.get(s)!.createdMs) > atMs + 100);
  expect(firstAfter(l3.at)).toBe(4); // built a pass after seq 3, which was refused as soon as it was sent
  expect(firstAfter(l6.at)).toBeDefined();

  // The agent logged each with its seq and samples (and ingest's code).
  const log = readFileSync(join(dir, `${pipeline.prefix}agent.log`), 'utf8')
    .split('\n')
    .filter((l) => l.includes('payload refused for good'))
    .map((l) => JSON.parse(l) as { seq: number; samples: number; reason: string });
  expect(log.map((l) => [l.seq, l.samples, l.reason])).toEqual([
    [3, l3.samples, 'SLC_ERR_INGEST_TOO_MANY_LABELS'],
    [6, l6.samples, 'SLC_ERR_INGEST_DECOMPRESSED_TOO_LARGE'],
  ]);

  const agentId = proxy.payloads.get(1)!.agentId as string;
  const expected = {
    rejected_4xx: {
      payloads: 2,
      samples: after6.samples,
      bytes: after6.bytes,
      oldestS: l3.t / 1000,
      newestS: l6.t / 1000,
    },
  };
  await expectExportedDrops(pipeline.ingest.url, agentId, expected);

  const truth = truthOf(seqs.filter((s) => delivered.has(s)).map((s) => proxy.payloads.get(s)!));
  await expectRollups(pipeline.store, instance, truth, { timeoutMs: 120_000, everyMs: 1000 });
}, 400_000);
