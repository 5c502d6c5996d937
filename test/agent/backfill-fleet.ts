/**
 * Part of the fleet of acceptance test 9 (run with `node`, not by vitest): synthetic agents number
 * <first> to <first + count − 1> of <total>, each its own disk buffer and Sender (the agent's code) fed
 * by the synthetic collector of backfill-synth.ts; 1 s stands for a real 10 s interval. The test runs
 * several of these, so that one busy event loop does not hold up (and bunch) every agent at once.
 *
 *   node backfill-fleet.ts <dir> <ingestUrl> <apiKey> <first> <count> <total> <backlog> <tag>
 *
 * First each agent's buffer gets <backlog> payloads with sample times one interval apart ending now (the
 * outage so far); then every agent collects a pass per interval, agent i at phase i/total of it.
 * Each payload is printed as "P <agentId> <index> <seq> <tMs> <bytes>" once its append returned; "ready"
 * when every agent runs. SIGTERM: stop collecting, send what is buffered (bounded), close the buffers,
 * print its event-loop delay ("lag ...") and "closed <payloads left> <payloads dropped>", exit 0.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type DiskBuffer, open } from '../../agent/diskbuffer/index.ts';
import { createAgentMetrics } from '../../agent/metrics.ts';
import { DEFAULT_POLICY } from '../../agent/retry.ts';
import { Sender } from '../../agent/sender.ts';
import { logger } from '../../common/log.ts';
import { Registry } from '../../common/metrics.ts';
import { prng } from '../support/prng.ts';
import { encode, synthPayload } from './backfill-synth.ts';

const INTERVAL = 1000;
const [dir, url, apiKey, firstArg, countArg, totalArg, backlogArg, tag] = process.argv.slice(2);
if (!dir || !url || !apiKey || !tag) throw new Error('usage: see the header');
const FIRST = Number(firstArg);
const TOTAL = Number(totalArg);
const BACKLOG = Number(backlogArg);
const log = logger('backfill-fleet', 'warn');

interface Agent {
  buffer: DiskBuffer;
  sender: Sender;
  timer?: NodeJS.Timeout;
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const agents: Agent[] = [];
const start = Date.now();
for (let index = FIRST; index < FIRST + Number(countArg); index++) {
  const id = `${tag}-${index.toString().padStart(3, '0')}`;
  const buffer = await open(join(dir, id), { fsync: 'never', segmentBytes: 64 * 1024 });
  const phase = (index * INTERVAL) / TOTAL;
  let seq = 0;
  const append = (tMs: number, to: { append: DiskBuffer['append'] }) => {
    const bytes = encode(synthPayload(id, index, ++seq, tMs));
    to.append(bytes, { samples: 2, minTimeMs: tMs, maxTimeMs: tMs });
    process.stdout.write(`P ${id} ${index} ${seq} ${tMs} ${bytes.length}\n`);
  };
  for (let k = BACKLOG; k >= 1; k--) append(start - k * INTERVAL + phase, buffer);
  const sender = new Sender({
    url,
    apiKey,
    buffer,
    policy: { ...DEFAULT_POLICY, random: prng(1000 + index) },
    log,
    metrics: createAgentMetrics(new Registry()),
    agentId: id,
    probeMs: INTERVAL,
  });
  const agent: Agent = { buffer, sender };
  void sender.start().catch((err) => {
    process.stderr.write(`sender ${id} failed: ${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
  const pass = () => {
    append(Date.now(), sender.intake);
    sender.wake();
  };
  setTimeout(() => {
    pass();
    agent.timer = setInterval(pass, INTERVAL);
  }, phase);
  agents.push(agent);
}
process.stdout.write('ready\n');

process.on('SIGTERM', async () => {
  for (const a of agents) clearInterval(a.timer);
  const left = await Promise.all(agents.map((a) => a.sender.drain(5000)));
  let dropped = 0;
  for (const a of agents) {
    await a.sender.close();
    await a.buffer.close();
    for (const c of Object.values(a.buffer.stats().drops)) dropped += c.records;
  }
  const ms = (ns: number) => Math.round(ns / 1e6);
  process.stdout.write(`lag p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms\n`);
  // Exit once the last line is out (a pipe's pending writes would die with process.exit).
  process.stdout.write(`closed ${left.reduce((n, x) => n + x, 0)} ${dropped}\n`, () => process.exit(0));
});
