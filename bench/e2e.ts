/**
 * End to end, every stage its own process:
 *
 *     node bench/e2e.ts      # BENCH_AGENTS=50 BENCH_SERIES=200 BENCH_INTERVAL_S=1 BENCH_DURATION_S=60
 *
 * synthetic agents (in this process) --HTTP, gzip protobuf--> ingest --> Kafka --> processor --> Kafka
 * --> connect --> FerretDB/MongoDB. Ingest, processor and connect are `node scripts/sluice.ts <service>`
 * processes (test/support/pipeline.ts) on a fresh topic prefix and database, dropped/deleted at the end.
 *
 * Stack. BENCH_STACK=private (the default) runs a stack of its own for the run: `scripts/stack up` with
 * SLUICE_RUN_DIR=.run/bench-stack and ports BENCH_KAFKA_PORT (19092, controller +1), BENCH_MONGO_PORT
 * (27018), BENCH_REDIS_PORT (6380), and `scripts/stack down` at the end (BENCH_KEEP_STACK=1 leaves it
 * up for the next run). Then nothing else shares Kafka and FerretDB — other developers' tests, fault
 * tests restarting Kafka, a `scripts/run` pipeline — and their CPU/RSS are this run's. BENCH_STACK=shared
 * uses the stack the environment names (KAFKA_BROKERS, MONGO_URL; the default local stack otherwise).
 *
 * Load. BENCH_AGENTS agents, each with BENCH_SERIES series (bench/payloads.ts: gauges, counters, 1 in 20
 * a native histogram), send one payload every BENCH_INTERVAL_S seconds carrying one sample per series,
 * stamped with the time the payload is built. Agents are phase-shifted evenly over the interval (a
 * fixed, open-loop rate: a slow ingest does not slow the offer down). Like the real agent, each agent
 * has one request in flight and a queue behind it; a 503/429/network error is retried with the same
 * (agentId, seq) (bounded attempts), so "acknowledged" samples are exactly the ones that must appear.
 * Payloads are generated for BENCH_DURATION_S seconds.
 *
 * Throughput. Samples/s over the load window (first to last scheduled payload), from the services' own
 * counters: `sluice_ingest_samples_total` (acknowledged by Kafka) and `sluice_processor_samples_total`
 * (recorded into rollups); plus how far each was behind the acknowledged count when the load stopped,
 * and how long the pipeline needed afterwards to put everything in the store.
 *
 * Freshness (sample time → visible in the store). BENCH_MARKERS agents (spread evenly) each have one
 * marker series, series 0. Every BENCH_POLL_MS this process reads those markers' current `rollups_1m`
 * documents by `_id` (one `$in` query) and compares `n` with the number of marker samples sent into
 * that bucket: when `n` reaches k, the k-th sample of the bucket is visible (one agent's payloads are
 * sent one after another and keyed to one raw partition, so they are applied in order). Freshness =
 * the poll time at which a sample is first seen minus its sample time, so it includes the agent's
 * queue, ingest, Kafka, the processor's flush interval, connect and the store write, and is
 * overestimated by at most one poll interval (the resolution, printed). Samples never seen by the end
 * are counted, not silently dropped from the percentiles. A marker stands for its payload (one Kafka
 * record); other series of the same payload may become visible slightly earlier or later.
 *
 * Resources. user+sys CPU seconds of each process from /proc/<pid>/stat over the load window (as % of
 * one core) and over the whole run (load + drain); RSS sampled every second from /proc/<pid>/status
 * (peak of the samples and at the end; VmHWM for the services, which this run started). Kafka and
 * FerretDB are found from the stack's pid files (`.run/kafka/kafka.pid`, `.run/ferretdb/ferretdb.pid`);
 * they are shared: anything else using them during the run is in their numbers.
 *
 * Correctness. At the end the sum of `n` over `rollups_1m` (and `rollups_1h`) must equal the number of
 * acknowledged samples: the run prints lost / doubled samples, and exits 1 when they differ.
 *
 * Bounds. The drain after the load waits at most BENCH_DRAIN_S for the store to be complete; a hard
 * stop (BENCH_HARD_STOP_S, default duration + drain + 120 s) kills the services and exits 2 whatever
 * happens. Traffic goes to 127.0.0.1 only (the stack's addresses).
 *
 * Other parameters: BENCH_GZIP (1), BENCH_CONNECTIONS (HTTP connections, min(agents, 32)),
 * BENCH_PARTITIONS (raw and rollups partitions; the services' default 8), BENCH_FLUSH_MS (the processor's
 * flush interval; its default 1000), BENCH_LOG_LEVEL (services' log level, info).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { createKafka } from '../common/kafka.ts';
import { connectStore, type Doc, type Store } from '../common/mongo.ts';
import { serviceAddresses } from '../common/services.ts';
import { rollupId } from '../connect/merge.ts';
import { bucketEnd, seriesId, sortLabels } from '../processor/series.ts';
import { metricValue, type ServiceProcess, startService } from '../test/support/pipeline.ts';
import { uniqueName } from '../test/support/wait.ts';
import { envInt, fmt, machine, percentile, root, stackVersions, table } from './lib.ts';
import { buildPayload, encodePayload, kindCounts, seriesIdentity } from './payloads.ts';

const AGENTS = envInt('BENCH_AGENTS', 50, 1, 100_000);
const SERIES = envInt('BENCH_SERIES', 200, 1, 10_000);
const INTERVAL_S = envInt('BENCH_INTERVAL_S', 1, 1, 3600);
const DURATION_S = envInt('BENCH_DURATION_S', 60, 1, 3600);
const DRAIN_S = envInt('BENCH_DRAIN_S', 30, 0, 3600);
const HARD_STOP_S = envInt('BENCH_HARD_STOP_S', DURATION_S + DRAIN_S + 120, 10, 4 * 3600);
const MARKERS = Math.min(AGENTS, envInt('BENCH_MARKERS', 8, 1, 1000));
const POLL_MS = envInt('BENCH_POLL_MS', 1000, 20, 10_000);
const GZIP = envInt('BENCH_GZIP', 1, 0, 1) === 1;
const CONNECTIONS = envInt('BENCH_CONNECTIONS', Math.min(AGENTS, 32), 1, 1024);
const PARTITIONS = process.env.BENCH_PARTITIONS ? envInt('BENCH_PARTITIONS', 8, 1, 1024) : undefined;
const FLUSH_MS = process.env.BENCH_FLUSH_MS ? envInt('BENCH_FLUSH_MS', 1000, 50, 60_000) : undefined;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || 'info';
const MAX_ATTEMPTS = 20;
const TENANT = 'dev'; // ingest's dev key without a keys file
const STACK = process.env.BENCH_STACK || 'private';
if (STACK !== 'private' && STACK !== 'shared') throw new Error(`BENCH_STACK=${STACK}: private or shared`);
const KEEP_STACK = envInt('BENCH_KEEP_STACK', 0, 0, 1) === 1;
const RUN_DIR =
  STACK === 'private' ? join(root, '.run', 'bench-stack') : process.env.SLUICE_RUN_DIR || join(root, '.run');
const privateStackEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.KAFKA_BROKERS;
  delete env.MONGO_URL;
  delete env.REDIS_URL;
  const kafka = envInt('BENCH_KAFKA_PORT', 19092, 1024, 65534);
  return {
    ...env,
    SLUICE_RUN_DIR: RUN_DIR,
    SLUICE_KAFKA_PORT: String(kafka),
    SLUICE_KAFKA_CONTROLLER_PORT: String(kafka + 1),
    SLUICE_MONGO_PORT: String(envInt('BENCH_MONGO_PORT', 27018, 1024, 65535)),
    SLUICE_REDIS_PORT: String(envInt('BENCH_REDIS_PORT', 6380, 1024, 65535)),
  };
};
/** `scripts/stack up|down` of the private stack (bounded). */
function privateStack(cmd: 'up' | 'down'): void {
  execFileSync(join(root, 'scripts/stack'), [cmd], {
    env: privateStackEnv(),
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 240_000,
  });
}
let stackStarted = false;
const CLK_TCK = 100; // USER_HZ on Linux (getconf CLK_TCK)

const started = Date.now();
const prefix = `${uniqueName('bench')}.`;
const db = uniqueName('sluice_bench').replace(/-/g, '_');
const services: ServiceProcess[] = [];
let store: Store | undefined;

/** Kills the services and stops the private stack: for a signal or the hard stop, never returns. */
function abort(why: string, code: number): never {
  console.error(`e2e: ${why}: killing the services`);
  for (const s of services) s.child.kill('SIGKILL');
  if (stackStarted && !KEEP_STACK) {
    try {
      privateStack('down');
    } catch {
      console.error(`e2e: scripts/stack down (${RUN_DIR}) failed`);
    }
  }
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort(sig, 130));
const hardStop = setTimeout(() => abort(`hard stop after ${HARD_STOP_S} s`, 2), HARD_STOP_S * 1000);

// --- /proc ----------------------------------------------------------------------------------------------
interface Proc {
  name: string;
  pid: number | undefined;
  /** Started by this run (its VmHWM is this run's peak). */
  ours: boolean;
  rssPeakKb: number;
  rssKb: number;
}
function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
  } catch {
    return Number.NaN;
  }
}
function status(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
function stackPid(svc: string): number | undefined {
  try {
    const pid = Number(
      readFileSync(join(RUN_DIR, svc, `${svc}.pid`), 'utf8')
        .trim()
        .split(/\s+/)[0],
    );
    return Number.isInteger(pid) && pid > 0 && !Number.isNaN(cpuTicks(pid)) ? pid : undefined;
  } catch {
    return undefined;
  }
}
function sampleRss(procs: Proc[]): void {
  for (const p of procs) {
    const rss = status(p.pid, 'VmRSS');
    if (!Number.isNaN(rss)) {
      p.rssKb = rss;
      p.rssPeakKb = Math.max(p.rssPeakKb, rss);
    }
  }
}

// --- agents ---------------------------------------------------------------------------------------------
interface Pending {
  seq: number;
  body: Buffer;
  samples: number;
}
interface Agent {
  id: string;
  seq: number;
  previousMs: number;
  queue: Pending[];
  sending: boolean;
  marker?: Marker;
}
interface Marker {
  sid: string;
  /** Per bucket start: the marker's sample times sent into it, in order, and how many were seen. */
  buckets: Map<number, { times: number[]; seen: number }>;
}
const counters = {
  payloads: 0,
  acked: 0,
  ackedPayloads: 0,
  retries: 0,
  failed: 0,
  failedSamples: 0,
  refused: 0,
  maxQueue: 0,
};
const latencies: number[] = [];
const freshness: number[] = [];
let pool: Pool;
let sendingStopped = false;
const headers = {
  authorization: 'Bearer dev-key',
  'content-type': 'application/x-protobuf',
  ...(GZIP ? { 'content-encoding': 'gzip' } : {}),
};

function tick(a: Agent): void {
  const t = Date.now();
  a.seq++;
  const payload = buildPayload({
    agentId: a.id,
    seq: a.seq,
    times: [t],
    series: SERIES,
    previousMs: a.previousMs,
  });
  a.previousMs = t;
  const raw = encodePayload(payload);
  a.queue.push({ seq: a.seq, body: GZIP ? gzipSync(raw) : raw, samples: SERIES });
  counters.payloads++;
  counters.maxQueue = Math.max(counters.maxQueue, a.queue.length);
  if (a.marker) {
    const start = bucketEnd(t, 60_000) - 60_000;
    let b = a.marker.buckets.get(start);
    if (!b) {
      b = { times: [], seen: 0 };
      a.marker.buckets.set(start, b);
    }
    b.times.push(t);
  }
  if (!a.sending) void send(a);
}

async function send(a: Agent): Promise<void> {
  a.sending = true;
  try {
    for (let item = a.queue.shift(); item; item = a.queue.shift()) {
      for (let attempt = 1; ; attempt++) {
        const t0 = performance.now();
        let status = 0;
        let retryAfterMs = 0;
        try {
          const res = await pool.request({ path: '/v1/ingest', method: 'POST', headers, body: item.body });
          status = res.statusCode;
          const ra = Number(res.headers['retry-after']);
          if (Number.isFinite(ra)) retryAfterMs = ra * 1000;
          await res.body.dump();
        } catch {
          status = 0; // connection error: retry
        }
        if (status === 204) {
          latencies.push(performance.now() - t0);
          counters.acked += item.samples;
          counters.ackedPayloads++;
          break;
        }
        if (status !== 0 && status !== 429 && status !== 503 && status < 500) {
          counters.refused++;
          console.error(`e2e: ingest refused ${a.id} seq ${item.seq}: ${status}`);
          break;
        }
        if (attempt >= MAX_ATTEMPTS || sendingStopped) {
          // It may still have been written (a 503 after Kafka's ack): counted apart, see the verdict.
          counters.failed++;
          counters.failedSamples += item.samples;
          break;
        }
        counters.retries++;
        await sleep(Math.min(2000, Math.max(retryAfterMs, 50 * 2 ** Math.min(attempt, 5))));
      }
    }
  } finally {
    a.sending = false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// --- freshness ------------------------------------------------------------------------------------------
let pollQueries = 0;
const pollMs: number[] = [];
async function pollMarkers(markers: Marker[]): Promise<number> {
  const want: Array<{ m: Marker; b: { times: number[]; seen: number }; id: string }> = [];
  for (const m of markers) {
    for (const [start, b] of m.buckets) {
      if (b.seen < b.times.length) want.push({ m, b, id: rollupId(m.sid, start) });
    }
  }
  if (want.length === 0 || !store) return 0;
  const t0 = performance.now();
  const docs = await store.db
    .collection<Doc>('rollups_1m')
    .find({ _id: { $in: want.map((w) => w.id) } }, { projection: { n: 1 } })
    .toArray();
  pollMs.push(performance.now() - t0);
  pollQueries++;
  const now = Date.now();
  const n = new Map(docs.map((d) => [d._id, Number(d.n)]));
  for (const w of want) {
    const visible = Math.min(n.get(w.id) ?? 0, w.b.times.length);
    for (; w.b.seen < visible; w.b.seen++) freshness.push(now - w.b.times[w.b.seen]!);
  }
  return want.length;
}

// --- the run --------------------------------------------------------------------------------------------
interface Snapshot {
  at: number;
  ticks: number[];
  ingest: number;
  processor: number;
  /** connect: rollup deltas merged, and rollups_1m upserts applied. */
  deltas: number;
  upserts: number;
}

async function counterOf(s: ServiceProcess, metric: string): Promise<number> {
  try {
    return await metricValue(s.url, metric);
  } catch {
    return Number.NaN;
  }
}

async function main(): Promise<number> {
  if (STACK === 'private') {
    const t0 = performance.now();
    stackStarted = true;
    privateStack('up');
    const env = privateStackEnv();
    // The services (test/support/pipeline.ts) and this process read the addresses from here.
    process.env.KAFKA_BROKERS = `127.0.0.1:${env.SLUICE_KAFKA_PORT}`;
    process.env.MONGO_URL = `mongodb://127.0.0.1:${env.SLUICE_MONGO_PORT}/`;
    process.env.REDIS_URL = `redis://127.0.0.1:${env.SLUICE_REDIS_PORT}`;
    console.error(`e2e: private stack up in ${fmt((performance.now() - t0) / 1000, 1)} s (${RUN_DIR})`);
  }
  const addr = serviceAddresses();
  try {
    store = await connectStore(addr.mongoUrl, db, { appName: 'sluice-bench' });
  } catch (err) {
    console.error(
      `e2e: cannot reach the store at ${addr.mongoUrl} (run scripts/stack up): ${(err as Error).message}`,
    );
    return 1;
  }
  const common: Record<string, string> = { LOG_LEVEL };
  if (PARTITIONS)
    Object.assign(common, {
      SLUICE_RAW_PARTITIONS: String(PARTITIONS),
      SLUICE_ROLLUP_PARTITIONS: String(PARTITIONS),
    });
  const logDir = join(RUN_DIR, 'bench-logs');
  const opts = (env: Record<string, string>) => ({ prefix, db, logDir, env: { ...common, ...env } });
  // Ingest first: it creates the topics, so the others do not race it.
  services.push(await startService('ingest', opts({})));
  services.push(
    await startService('processor', opts(FLUSH_MS ? { SLUICE_PROCESSOR_FLUSH_MS: String(FLUSH_MS) } : {})),
  );
  services.push(await startService('connect', opts({})));
  const [ingest, processor, connect] = services as [ServiceProcess, ServiceProcess, ServiceProcess];
  pool = new Pool(ingest.url, { connections: CONNECTIONS, pipelining: 1 });

  const procs: Proc[] = [
    ...services.map((s) => ({ name: s.name, pid: s.child.pid, ours: true, rssPeakKb: 0, rssKb: 0 })),
    { name: `kafka (${STACK})`, pid: stackPid('kafka'), ours: false, rssPeakKb: 0, rssKb: 0 },
    { name: `ferretdb (${STACK})`, pid: stackPid('ferretdb'), ours: false, rssPeakKb: 0, rssKb: 0 },
    { name: 'bench driver (agents, poller)', pid: process.pid, ours: true, rssPeakKb: 0, rssKb: 0 },
  ];
  const snapshot = async (): Promise<Snapshot> => ({
    at: performance.now(),
    ticks: procs.map((p) => cpuTicks(p.pid)),
    ingest: await counterOf(ingest, 'sluice_ingest_samples_total'),
    processor: await counterOf(processor, 'sluice_processor_samples_total'),
    deltas: await counterOf(connect, 'sluice_connect_deltas_total'),
    upserts: await metricValue(connect.url, 'sluice_connect_upserts_total', {
      collection: 'rollups_1m',
      outcome: 'applied',
    }).catch(() => Number.NaN),
  });

  const agents: Agent[] = Array.from({ length: AGENTS }, (_, i) => ({
    id: `bench-agent-${String(i).padStart(5, '0')}`,
    seq: 0,
    previousMs: 0,
    queue: [],
    sending: false,
  }));
  const markers: Marker[] = [];
  for (let k = 0; k < MARKERS; k++) {
    const a = agents[Math.floor((k * AGENTS) / MARKERS)]!;
    const { name, labels } = seriesIdentity(a.id, 0);
    const sorted = sortLabels(Object.entries(labels).map(([n, value]) => ({ name: n, value })));
    a.marker = { sid: seriesId(TENANT, name, sorted), buckets: new Map() };
    markers.push(a.marker);
  }

  const rss = setInterval(() => sampleRss(procs), 1000);
  sampleRss(procs);
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t0 = performance.now();
      try {
        await pollMarkers(markers);
      } catch (err) {
        console.error(`e2e: marker poll failed: ${(err as Error).message}`);
      }
      await sleep(Math.max(0, POLL_MS - (performance.now() - t0)));
    }
  })();

  // Load: open loop, agent i at phase i/AGENTS of the interval; each agent's ticks are scheduled from
  // the start time, so they do not drift.
  const ticks = Math.max(1, Math.floor(DURATION_S / INTERVAL_S));
  const intervalMs = INTERVAL_S * 1000;
  const s0 = await snapshot();
  const loadStart = performance.now() + 100;
  await Promise.all(
    agents.map(async (a, i) => {
      const phase = (i * intervalMs) / AGENTS;
      for (let k = 0; k < ticks; k++) {
        const at = loadStart + phase + k * intervalMs;
        const wait = at - performance.now();
        if (wait > 0) await sleep(wait);
        tick(a);
      }
    }),
  );
  const s1 = await snapshot();
  const loadS = (s1.at - s0.at) / 1000;
  const offered = counters.payloads * SERIES;
  console.error(
    `e2e: load done: ${counters.payloads} payloads in ${fmt(loadS, 1)} s; draining (≤ ${DRAIN_S} s)`,
  );

  // Drain: senders empty, then the store complete (or the bound).
  const drainEnd = performance.now() + DRAIN_S * 1000;
  const queued = () => agents.some((a) => a.sending || a.queue.length > 0);
  while (queued() && performance.now() < drainEnd) await sleep(50);
  sendingStopped = true;
  while (queued()) await sleep(50); // in-flight requests end (their retries are stopped)
  const sentDone = performance.now();
  let processorDone: number | undefined;
  let storeDone: number | undefined;
  let n1m = 0;
  const totalN = async (coll: string): Promise<number> => {
    const r = await store!.db
      .collection<Doc>(coll)
      .aggregate([{ $group: { _id: null, n: { $sum: '$n' } } }])
      .toArray();
    return Number(r[0]?.n ?? 0);
  };
  while (performance.now() < drainEnd) {
    if (
      processorDone === undefined &&
      (await counterOf(processor, 'sluice_processor_samples_total')) >= counters.acked
    )
      processorDone = performance.now();
    n1m = await totalN('rollups_1m');
    if (n1m >= counters.acked) {
      storeDone = performance.now();
      break;
    }
    await sleep(1000);
  }
  polling = false;
  await poller;
  await pollMarkers(markers).catch(() => 0);
  const s2 = await snapshot();
  clearInterval(rss);
  sampleRss(procs);
  for (const p of procs)
    if (p.ours && p.pid !== process.pid) p.rssPeakKb = Math.max(p.rssPeakKb, status(p.pid, 'VmHWM'));
  n1m = await totalN('rollups_1m');
  const n1h = await totalN('rollups_1h');
  const docs1m = await store.db.collection('rollups_1m').estimatedDocumentCount();
  const connectLag = await counterOf(connect, 'sluice_connect_consumer_lag');
  const processorLag = await counterOf(processor, 'sluice_processor_consumer_lag');

  // --- report ---
  const k = kindCounts(SERIES);
  const unseen = markers.reduce(
    (a, m) => a + [...m.buckets.values()].reduce((x, b) => x + b.times.length - b.seen, 0),
    0,
  );
  freshness.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  console.log(`machine: ${machine()}`);
  console.log(`stack: ${STACK} (${RUN_DIR}); versions:`);
  console.log(stackVersions().replace(/^/gm, '  '));
  console.log(
    `load: ${AGENTS} agents × ${SERIES} series (${k.gauge} gauges, ${k.counter} counters, ${k.histogram} histograms) every ${INTERVAL_S} s for ${DURATION_S} s = ${fmt((AGENTS * SERIES) / INTERVAL_S)} samples/s offered; gzip ${GZIP ? 'on' : 'off'}, ${CONNECTIONS} connections`,
  );
  console.log(
    `pipeline: prefix ${prefix} db ${db}; partitions ${PARTITIONS ?? 'default (8)'}, processor flush ${FLUSH_MS ?? 'default (1000)'} ms, log level ${LOG_LEVEL}; store ${store.backend.kind} ${store.backend.version}`,
  );
  console.log(
    `load window ${fmt(loadS, 1)} s; senders empty ${fmt((sentDone - s1.at) / 1000, 1)} s after; processor caught up ${processorDone ? `${fmt((processorDone - s1.at) / 1000, 1)} s after` : 'NOT within the drain bound'}; store complete ${storeDone ? `${fmt((storeDone - s1.at) / 1000, 1)} s after (checked every 3 s)` : `NOT within ${DRAIN_S} s (processor lag ${processorLag}, connect lag ${connectLag} records)`}\n`,
  );
  const rate = (a: number, b: number) => fmt((b - a) / loadS);
  const runS = (s2.at - s0.at) / 1000;
  console.log(
    table(
      ['throughput (load window)', 'samples/s', 'behind acknowledged at load end'],
      [
        ['offered (generated by the agents)', fmt(offered / loadS), ''],
        ['acknowledged by ingest (204)', fmt(counters.acked / loadS), ''],
        ['ingest: sluice_ingest_samples_total', rate(s0.ingest, s1.ingest), fmt(counters.acked - s1.ingest)],
        [
          'processor: sluice_processor_samples_total',
          rate(s0.processor, s1.processor),
          fmt(counters.acked - s1.processor),
        ],
      ],
    ),
  );
  console.log(
    `connect over the load window: ${rate(s0.deltas, s1.deltas)} deltas/s merged, ${rate(s0.upserts, s1.upserts)} rollups_1m upserts/s (2 deltas per sample: 1m and 1h)\n`,
  );
  console.log(
    table(
      ['latency', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      [
        [
          `freshness (sample → visible in rollups_1m; ±${POLL_MS} ms)`,
          fmt(freshness.length),
          fmt(percentile(freshness, 50)),
          fmt(percentile(freshness, 90)),
          fmt(percentile(freshness, 99)),
          fmt(freshness.at(-1) ?? Number.NaN),
        ],
        [
          'ingest request (POST → 204)',
          fmt(latencies.length),
          fmt(percentile(latencies, 50), 1),
          fmt(percentile(latencies, 90), 1),
          fmt(percentile(latencies, 99), 1),
          fmt(latencies.at(-1) ?? Number.NaN, 1),
        ],
      ],
    ),
  );
  if (unseen > 0)
    console.log(`freshness: ${unseen} marker samples never became visible (not in the percentiles)`);
  console.log(
    `marker poll: ${pollQueries} queries, p50 ${fmt(
      percentile(
        pollMs.sort((a, b) => a - b),
        50,
      ),
      1,
    )} ms, p99 ${fmt(percentile(pollMs, 99), 1)} ms\n`,
  );
  console.log(
    table(
      [
        'process',
        'pid',
        'CPU % core (load)',
        'CPU % core (run)',
        'CPU s (run)',
        'RSS peak MiB',
        'RSS end MiB',
      ],
      procs.map((p, i) => {
        const load = ((s1.ticks[i]! - s0.ticks[i]!) / CLK_TCK / loadS) * 100;
        const run = (s2.ticks[i]! - s0.ticks[i]!) / CLK_TCK;
        return [
          p.name,
          p.pid ?? 'n/a',
          fmt(load),
          fmt((run / runS) * 100),
          fmt(run, 1),
          fmt(p.rssPeakKb / 1024),
          fmt(p.rssKb / 1024),
        ];
      }),
    ),
  );
  console.log(
    `(run = load + drain = ${fmt(runS, 1)} s; peak RSS: max of 1 s samples, and VmHWM for processes this run started)\n`,
  );
  const lost = Math.max(0, counters.acked - n1m);
  const doubled = Math.max(0, n1m - counters.acked);
  console.log(
    table(
      ['correctness', 'samples'],
      [
        ['acknowledged by ingest (must be in the store)', fmt(counters.acked)],
        ['processor: sluice_processor_samples_total at the end', fmt(s2.processor)],
        ['Σ n in rollups_1m', fmt(n1m)],
        ['Σ n in rollups_1h', fmt(n1h)],
        ['lost (acknowledged, not in rollups_1m)', fmt(lost)],
        ['doubled (in rollups_1m beyond acknowledged)', fmt(doubled)],
        ['unacknowledged after retries (may or may not be written)', fmt(counters.failedSamples)],
      ],
    ),
  );
  console.log(
    `payloads: ${counters.payloads} generated, ${counters.ackedPayloads} acknowledged, ${counters.retries} retries, ${counters.failed} given up, ${counters.refused} refused; deepest agent queue ${counters.maxQueue}; ${fmt(docs1m)} rollups_1m documents`,
  );
  const ok = lost === 0 && doubled === 0 && n1h === n1m && counters.failed === 0 && counters.refused === 0;
  if (!ok) {
    console.log(
      storeDone === undefined
        ? `VERDICT: the store is INCOMPLETE after the ${DRAIN_S} s drain bound: ${fmt(lost)} acknowledged samples not (yet) in rollups_1m — the pipeline did not keep up, data may still be in flight (connect lag ${connectLag})`
        : 'VERDICT: MISMATCH between acknowledged samples and the store',
    );
  } else console.log('VERDICT: every acknowledged sample is in the store exactly once');
  return ok ? 0 : 1;
}

async function cleanup(): Promise<void> {
  await pool?.close().catch(() => undefined);
  const codes = await Promise.all(services.map((s) => s.stop().catch(() => null)));
  const bad = services.filter((_, i) => codes[i] !== 0).map((s, i) => `${s.name} exited ${codes[i]}`);
  if (bad.length) console.error(`e2e: ${bad.join(', ')}`);
  await store?.db.dropDatabase().catch(() => undefined);
  await store?.client.close().catch(() => undefined);
  // Topics and consumer groups of this run's prefix (best effort, bounded by kafkajs' timeouts).
  const admin = createKafka({ clientId: 'sluice-bench', brokers: serviceAddresses().kafkaBrokers }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 10_000 });
    await admin.deleteGroups([`${prefix}sluice-processor`, `${prefix}sluice-connect`]).catch(() => undefined);
  } catch (err) {
    console.error(`e2e: could not delete topics ${prefix}*: ${(err as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (stackStarted && !KEEP_STACK) {
    try {
      privateStack('down');
    } catch (err) {
      console.error(`e2e: scripts/stack down (${RUN_DIR}) failed: ${(err as Error).message}`);
    }
  }
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`e2e: ${(err as Error).stack}`);
} finally {
  await cleanup();
  clearTimeout(hardStop);
  console.error(`e2e: done in ${fmt((Date.now() - started) / 1000, 1)} s`);
}
process.exit(code);
