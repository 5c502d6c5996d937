/**
 * A synthetic agent process for acceptance test 10 (run with `node`, not by vitest): the agent's own
 * state directory (agent id, seq reservation), disk buffer and Sender, fed by the synthetic collector of
 * backfill-support.ts instead of /proc, so the test knows every value it produced.
 *
 *   node backfill-driver.ts prefill <stateDir> <count>
 *       appends <count> payloads with sample times one interval apart ending now (the outage's backlog),
 *       prints "P <seq> <tMs>" after each append returned, closes the buffer and exits 0.
 *   node backfill-driver.ts run <stateDir> <ingestUrl> <apiKey>
 *       sends the buffer (live first, backfill at ingest's grant) and collects a pass every second,
 *       printing "P <seq> <tMs>" after each append returned; SIGTERM: bounded drain, close, exit 0.
 * Both print "A <agentId>" first. stdout is a pipe: Node writes it synchronously on Linux, so a line is
 * out before the next statement runs (a kill -9 can fall between an append and its line: at most one
 * payload per run is then unannounced, and the test accounts for it).
 */
import { join } from 'node:path';
import { open } from '../../agent/diskbuffer/index.ts';
import { createAgentMetrics } from '../../agent/metrics.ts';
import { DEFAULT_POLICY } from '../../agent/retry.ts';
import { Sender } from '../../agent/sender.ts';
import { SeqAllocator } from '../../agent/seq.ts';
import { StateDir } from '../../agent/state.ts';
import { logger } from '../../common/log.ts';
import { encode, synthPayload } from './backfill-synth.ts';

const INTERVAL = 1000;
const [mode, stateDirArg, a3, a4] = process.argv.slice(2);
if (!stateDirArg || (mode !== 'prefill' && mode !== 'run')) throw new Error('usage: see the header');

const state = new StateDir(stateDirArg);
const buffer = await open(join(state.dir, 'buffer'), { fsync: 'interval' });
state.lock();
const agentId = state.agentId();
const seq = new SeqAllocator(state.seqStore());
process.stdout.write(`A ${agentId}\n`);

function append(tMs: number): void {
  const s = seq.next();
  buffer.append(encode(synthPayload(agentId, 0, s, tMs)), { samples: 2, minTimeMs: tMs, maxTimeMs: tMs });
  process.stdout.write(`P ${s} ${tMs}\n`);
}

if (mode === 'prefill') {
  const count = Number(a3);
  const now = Date.now();
  for (let k = count; k >= 1; k--) append(now - k * INTERVAL);
  await buffer.close();
  state.unlock();
  process.exit(0);
}

const sender = new Sender({
  url: String(a3),
  apiKey: String(a4),
  buffer,
  policy: DEFAULT_POLICY,
  log: logger('backfill-driver', 'warn'),
  metrics: createAgentMetrics(),
  agentId,
  probeMs: INTERVAL,
});
const loop = sender.start();
const timer = setInterval(() => {
  const tMs = Date.now();
  const s = seq.next();
  sender.intake.append(encode(synthPayload(agentId, 0, s, tMs)), {
    samples: 2,
    minTimeMs: tMs,
    maxTimeMs: tMs,
  });
  process.stdout.write(`P ${s} ${tMs}\n`);
  sender.wake();
}, INTERVAL);
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  clearInterval(timer);
  const left = await sender.drain(5000);
  await loop;
  await sender.close();
  await buffer.close();
  state.unlock();
  process.stdout.write(`closed ${left}\n`);
  process.exit(0);
});
