/**
 * Acceptance test 10 (agent-buffer-notes §5): kill -9 of an agent halfway through its backfill.
 *
 * The agent is a child process (backfill-driver.ts: the agent's state directory, disk buffer and Sender
 * with a synthetic collector). Its buffer holds BACKLOG payloads; ingest (real, behind a recording
 * proxy) grants a rate that drains them in ~10 s while live passes go on. When half the backlog is in,
 * the process is killed with SIGKILL and started again on the same directory. Pass: it resumes from the
 * persisted position (a payload it sends again is one ingest had accepted in the last second before the
 * kill: the acks the buffer had not persisted yet), duplicates ≤ the acks of that last second and every
 * one of them skipped by the processor's (agentId, seq) dedup, nothing lost: the rollups equal the
 * ground truth computed from every payload produced.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { IAgentPayload } from '../../proto/index.ts';
import { metricValue } from '../support/pipeline.ts';
import { until } from '../support/wait.ts';
import {
  admin,
  type Child,
  encode,
  KEY,
  type Pipeline,
  spawnHelper,
  startPipeline,
  startProxy,
  synthPayload,
} from './backfill-support.ts';
import { rollupDiffs, truthOf } from './e2e-support.ts';

const BACKLOG = 300;
const DRAIN_S = 10;
/**
 * Accepted backfill payloads before the kill: about half, and a third of a second off the whole seconds
 * of the paced drain (30/s), so that the kill does not fall right after a once-a-second position write.
 */
const KILL_AT = BACKLOG / 2 + 10;

const dir = mkdtempSync(join(tmpdir(), 'sluice-backfill10-'));
const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

let agentId: string | undefined;

function driver(args: string[]): Child {
  const run = spawnHelper('./backfill-driver.ts', args, (l) => {
    const [tag, a] = l.split(' ');
    if (tag === 'A') agentId = a;
  });
  cleanup.push(() => run.child.kill('SIGKILL'));
  return run;
}

/** seq → sample time of every payload the driver recorded as appended (its `produced` file). */
function producedIn(stateDir: string): Map<number, number> {
  const out = new Map<number, number>();
  let text = '';
  try {
    text = readFileSync(join(stateDir, 'produced'), 'utf8');
  } catch {
    return out;
  }
  for (const l of text.split('\n')) {
    const [tag, a, b] = l.split(' ');
    if (tag === 'P') out.set(Number(a), Number(b));
  }
  return out;
}

it('kill -9 halfway through the backfill: resumes from the persisted position, duplicates deduped, nothing lost', async () => {
  const pipeline: Pipeline = await startPipeline('bf10', dir, { SLUICE_INGEST_RETRY_AFTER_S: '1' });
  cleanup.push(() => pipeline.stop());
  const proxy = await startProxy(pipeline.ingest.url);
  cleanup.push(() => proxy.close());
  const stateDir = join(dir, 'agent');
  let produced = new Map<number, number>();

  const pre = driver(['prefill', stateDir, String(BACKLOG)]);
  expect(await pre.exited, pre.out()).toBe(0);
  produced = producedIn(stateDir);
  expect(produced.size, pre.out()).toBe(BACKLOG);
  const id = agentId as string;
  const size = encode(synthPayload(id, 0, 1, Date.now())).length;
  await admin(pipeline.ingest.url, '/admin/backfill', {
    maxBytesPerS: Math.round((BACKLOG * size) / DRAIN_S),
  });

  const first = driver(['run', stateDir, proxy.url, KEY]);
  const ok = (lane?: string) => proxy.hits.filter((h) => h.status === 204 && (!lane || h.lane === lane));
  await until(
    'half the backlog in',
    async () => (await proxy.refresh()) && ok('backfill').length >= KILL_AT,
    {
      timeoutMs: 60_000,
      everyMs: 10,
      describe: first.out,
    },
  );
  const killedAt = Date.now();
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe(null);

  const second = driver(['run', stateDir, proxy.url, KEY]);
  const seen = (): Map<number, IAgentPayload> => {
    const m = new Map<number, IAgentPayload>();
    for (const h of ok()) m.set(h.seq, synthPayload(id, 0, h.seq, h.sampleMs));
    return m;
  };
  await until(
    'every payload produced accepted',
    async () => {
      await proxy.refresh();
      produced = producedIn(stateDir);
      const accepted = seen();
      return (
        second.out().includes('ready') &&
        produced.size > BACKLOG + 5 &&
        [...produced.keys()].every((s) => accepted.has(s))
      );
    },
    { timeoutMs: 90_000, everyMs: 200, describe: second.out },
  );
  second.child.kill('SIGTERM');
  expect(await second.exited, second.out()).toBe(0);
  expect(second.out()).toContain('closed 0');
  produced = producedIn(stateDir);
  await proxy.refresh();
  const beforeKill = ok().filter((h) => h.arriveMs <= killedAt);
  // Accepted by ingest in the last second before the kill (answers still on the way count too).
  const lastSecond = new Set(beforeKill.filter((h) => h.doneMs >= killedAt - 1000).map((h) => h.seq));
  const acceptedBefore = new Set(beforeKill.map((h) => h.seq));

  const afterRestart = ok().filter((h) => h.arriveMs > killedAt);
  const resent = afterRestart.filter((h) => acceptedBefore.has(h.seq)).map((h) => h.seq);
  // The payloads delivered: every one produced, plus at most one the first run appended but was killed
  // before announcing (its seq is the first run's next one; its values follow from seq and time).
  const delivered = seen();
  const unannounced = [...delivered.keys()].filter((s) => !produced.has(s));
  expect(unannounced.length).toBeLessThanOrEqual(1);
  for (const h of ok()) {
    expect(h.agent).toBe(id);
    if (produced.has(h.seq)) expect(h.sampleMs).toBe(produced.get(h.seq));
  }
  const truth = truthOf([...delivered.values()]);
  const diffs = await rollupDiffs(pipeline.store, undefined, truth, { timeoutMs: 90_000, everyMs: 1000 });
  const skipped = await metricValue(pipeline.processor.url, 'sluice_processor_duplicates_skipped_total');
  const firstResent = Math.min(...afterRestart.filter((h) => h.lane === 'backfill').map((h) => h.seq));
  console.log(
    JSON.stringify({
      backlog: BACKLOG,
      acceptedBeforeKill: acceptedBefore.size,
      acksLastSecond: lastSecond.size,
      resent: resent.length,
      duplicatesSkipped: skipped,
      firstBackfillSeqAfterRestart: firstResent,
      produced: produced.size,
      unannounced: unannounced.length,
    }),
  );
  expect(diffs).toEqual([]);
  // Resumed from the persisted position: only acks of the last second come again, never the start.
  expect(resent.every((s) => lastSecond.has(s))).toBe(true);
  expect(resent.length).toBeLessThanOrEqual(lastSecond.size);
  expect(firstResent).toBeGreaterThan(Math.min(...acceptedBefore));
  // Each duplicate that reached Kafka twice was skipped by the processor once.
  expect(skipped).toBe(resent.length);
}, 300_000);
