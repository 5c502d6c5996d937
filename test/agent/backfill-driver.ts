/**
 * A synthetic agent process for acceptance test 10 (run with `node`, not by vitest): the agent's own
 * state directory (agent id, seq reservation), disk buffer and Sender, fed by the synthetic collector of
 * backfill-support.ts instead of /proc, so the test knows every value it produced.
 *
 *   node backfill-driver.ts prefill <stateDir> <count>
 *       appends <count> payloads with sample times one interval apart ending now (the outage's backlog),
 *       closes the buffer and exits 0.
 *   node backfill-driver.ts run <stateDir> <ingestUrl> <apiKey>
 *       sends the buffer (live first, backfill at ingest's grant) and collects a pass every second;
 *       prints "ready" once running; SIGTERM: bounded drain, close, print "closed <left>", exit 0.
 * Both print "A <agentId>" first, and append "P <seq> <tMs>" to <stateDir>/produced once a payload's
 * append returned, with a synchronous write(2): a kill -9 right after still leaves the line in the
 * file (stdout would not do: a pipe's pending writes die with the process). A kill between an append
 * and its line leaves at most one payload per run unannounced; the test accounts for it.
 */
import { openSync, writeSync } from 'node:fs';
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
const producedFd = openSync(join(state.dir, 'produced'), 'a');
process.stdout.write(`A ${agentId}\n`);

/** Appends one payload stamped `tMs` (through `to`) and records it. */
function append(tMs: number, to: { append: typeof buffer.append }): void {
  const s = seq.next();
  to.append(encode(synthPayload(agentId, 0, s, tMs)), { samples: 2, minTimeMs: tMs, maxTimeMs: tMs });
  writeSync(producedFd, `P ${s} ${tMs}\n`);
}

if (mode === 'prefill') {
  const count = Number(a3);
  const now = Date.now();
  for (let k = count; k >= 1; k--) append(now - k * INTERVAL, buffer);
  await buffer.close();
  state.unlock();
  // No process.exit: stdout (a pipe) is flushed before a natural exit.
} else {
  await run();
}

async function run(): Promise<void> {
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
    append(Date.now(), sender.intake);
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
    process.stdout.write(`closed ${left}\n`, () => process.exit(0));
  });
}
