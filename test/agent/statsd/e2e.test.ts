/**
 * StatsD end to end: a real StatsD client library (hot-shots, buffered, so packets carry several lines)
 * and POST /v1/statsd → a real agent process → ingest → Kafka → processor → connect → FerretDB. Every
 * field of every 1-minute rollup document of the app metrics must equal the ground truth computed here
 * from what was sent (bucket indexes from the schema-3 definition, not from the agent's code).
 *
 * The agent runs with a one-hour interval: its first pass (host metrics) makes it ready, the lines are
 * then sent, and SIGTERM's last pass is the only one that carries them. That makes the rollups exact
 * (one sample per series, one bucket) without racing the agent's timer; the unit tests cover several
 * intervals. hot-shots decides client-side sampling with Math.random: the test pins it to 0, so every
 * sampled call is sent (with its `|@rate`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatsD } from 'hot-shots';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Doc, Store } from '../../../common/mongo.ts';
import { metricValue, type Pipeline, startPipeline, startService } from '../../support/pipeline.ts';
import { uniqueName, until } from '../../support/wait.ts';
import { bucket, expectedDoc, freeUdpPort, merged, TENANT, type Truth } from './truth.ts';

const KEY = 'statsd-key-0123456789abcdef';
const INSTANCE = uniqueName('statsd-host');
let pipeline: Pipeline;
let store: Store;
let prefix: string;
let db: string;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'sluice-statsd-e2e-'));
  pipeline = await startPipeline({
    name: 'statsd',
    keys: { [KEY]: TENANT },
    keysDir: stateDir,
    flushMs: 200,
  });
  ({ store, prefix, db } = pipeline);
}, 180_000);

afterAll(async () => {
  expect(await pipeline?.stop()).toEqual([0, 0, 0]);
  rmSync(stateDir, { recursive: true, force: true });
}, 120_000);

it('hot-shots and POST /v1/statsd → exact 1-minute rollups: sample rates, gauge deltas, timers, sets, tags', async () => {
  const udp = await freeUdpPort();
  const ingest = pipeline.ingest;
  const agent = await startService('agent', {
    prefix,
    db,
    env: {
      SLUICE_AGENT_INGEST_URL: ingest.url,
      SLUICE_AGENT_API_KEY: KEY,
      SLUICE_AGENT_STATE_DIR: stateDir,
      SLUICE_AGENT_INTERVAL_S: '3600',
      SLUICE_AGENT_JOB: 'shop',
      SLUICE_AGENT_INSTANCE: INSTANCE,
      SLUICE_AGENT_STATSD_LISTEN: `127.0.0.1:${udp}`,
    },
  });
  let agentStopped = false;
  try {
    expect(await metricValue(agent.url, 'sluice_agent_statsd_listening')).toBe(1);
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    const client = new StatsD({
      host: '127.0.0.1',
      port: udp,
      maxBufferSize: 512,
      bufferFlushInterval: 60_000,
    });
    const a200 = { route: '/a', code: '200' };
    client.increment('app.requests', 1, a200);
    client.increment('app.requests', 1, a200);
    client.increment('app.requests', 1, a200);
    client.increment('app.requests', 2, 0.5, a200); // counts 4
    client.increment('app.requests', 2, 0.5, a200); // counts 4
    client.increment('app.requests', 1, 0.1, a200); // counts 10
    client.increment('app.requests', 5, { route: '/b', code: '500' });
    client.gauge('app.queue-depth', 10);
    client.gaugeDelta('app.queue-depth', 5);
    client.gaugeDelta('app.queue-depth', -3);
    client.gauge('app.temp', 21.5, ['room:lab', 'canary']);
    for (const ms of [1, 2, 3, 100, 0]) client.timing('app.latency', ms, { endpoint: 'checkout' });
    client.timing('app.latency', 100.5, 0.25, { endpoint: 'checkout' }); // counts 4
    for (const b of [512, 1024, 1500]) client.histogram('app.payload_bytes', b);
    client.distribution('app.dist', 0.5);
    client.distribution('app.dist', -2);
    for (const u of ['alice', 'bob', 'alice', 'carol']) client.set('app.users', u);
    const udpLines = 7 + 3 + 1 + 6 + 3 + 2 + 4;
    await new Promise<void>((resolve, reject) => client.close((err) => (err ? reject(err) : resolve())));
    random.mockRestore();

    const res = await fetch(`${agent.url}/v1/statsd`, {
      method: 'POST',
      body: 'app.requests:4|c|#route:/a,code:200\napp.http_only:-7.25|g\nnot a line\n',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ recorded: 2, refused: { line_syntax: 1 }, first: { line: 3 } });
    await until(
      'every UDP line recorded by the agent',
      async () =>
        (await metricValue(agent.url, 'sluice_agent_statsd_lines_total', { transport: 'udp' })) === udpLines,
      { timeoutMs: 10_000, everyMs: 100 },
    );
    expect(await metricValue(agent.url, 'sluice_agent_statsd_errors_total', { reason: 'line_syntax' })).toBe(
      1,
    );
    expect(await metricValue(agent.url, 'sluice_agent_statsd_errors_total')).toBe(1);
    // The client packed several lines per datagram (maxBufferSize 512): multi-metric packets.
    const packets = await metricValue(agent.url, 'sluice_agent_statsd_packets_total', { transport: 'udp' });
    expect(packets).toBeGreaterThan(1);
    expect(packets).toBeLessThan(udpLines);
    const before = Date.now();
    expect(await agent.stop()).toBe(0);
    agentStopped = true;
    const after = Date.now();

    const stamp = { job: 'shop', instance: INSTANCE };
    const truth: Record<string, Truth> = {
      'app_requests{code=200,route=/a}': {
        kind: 'counter',
        labels: { ...stamp, ...a200 },
        v: 1 + 1 + 1 + 2 / 0.5 + 2 / 0.5 + 1 / 0.1 + 4,
      },
      'app_requests{code=500,route=/b}': {
        kind: 'counter',
        labels: { ...stamp, route: '/b', code: '500' },
        v: 5,
      },
      'app_queue_depth{}': { kind: 'gauge', labels: stamp, v: 10 + 5 - 3 },
      'app_temp{room=lab}': { kind: 'gauge', labels: { ...stamp, room: 'lab' }, v: 21.5 },
      'app_http_only{}': { kind: 'gauge', labels: stamp, v: -7.25 },
      'app_users{}': { kind: 'gauge', labels: stamp, v: 3 },
      'app_latency{endpoint=checkout}': {
        kind: 'histogram',
        labels: { ...stamp, endpoint: 'checkout' },
        obs: [
          [1, 1],
          [2, 1],
          [3, 1],
          [100, 1],
          [0, 1],
          [100.5, 4],
        ],
      },
      'app_payload_bytes{}': {
        kind: 'histogram',
        labels: stamp,
        obs: [
          [512, 1],
          [1024, 1],
          [1500, 1],
        ],
      },
      'app_dist{}': {
        kind: 'histogram',
        labels: stamp,
        obs: [
          [0.5, 1],
          [-2, 1],
        ],
      },
    };
    expect(truth['app_requests{code=200,route=/a}']?.v).toBe(25);

    // The store's app series of this agent and their 1-minute documents.
    const key = (name: string, labels: Record<string, string>) =>
      `${name}{${Object.entries(labels)
        .filter(([k]) => k !== 'job' && k !== 'instance')
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}}`;
    let actual: Record<string, { labels: Record<string, string>; docs: Doc[] }> = {};
    await until(
      'a 1-minute rollup of every app series',
      async () => {
        actual = {};
        const series = await store.db
          .collection<Doc>('series')
          .find({ 'labels.instance': INSTANCE, name: { $regex: '^app_' } })
          .toArray();
        for (const s of series) {
          const docs = await store.db.collection<Doc>('rollups_1m').find({ sid: s._id }).toArray();
          actual[key(s.name, s.labels)] = { labels: s.labels, docs };
        }
        return (
          Object.keys(actual).length === Object.keys(truth).length &&
          Object.values(actual).every((a) => a.docs.length === 1 && a.docs[0]?.n === 1)
        );
      },
      { timeoutMs: 60_000, everyMs: 500, describe: () => JSON.stringify(Object.keys(actual)) },
    );
    expect(Object.keys(actual).sort()).toEqual(Object.keys(truth).sort());
    // The one pass that carried the lines: SIGTERM's, between the signal and the exit.
    // (From a document that has `last`: histograms have none, and the store returns series in any order.)
    const tMs =
      Object.values(actual)
        .map((a) => (a.docs[0]?.last as { t?: number } | undefined)?.t)
        .find((t) => t !== undefined) ?? 0;
    expect(tMs).toBeGreaterThanOrEqual(before);
    expect(tMs).toBeLessThanOrEqual(after);
    for (const [k, t] of Object.entries(truth)) {
      const a = actual[k] as { labels: Record<string, string>; docs: Doc[] };
      expect(a.labels, k).toEqual(t.labels);
      const { _id, sid, start, exp, o, ...fields } = a.docs[0] as Doc;
      expect((start as Date).getTime(), k).toBe(Math.ceil(tMs / 60_000) * 60_000 - 60_000);
      expect(fields, k).toEqual(expectedDoc(k.slice(0, k.indexOf('{')), t, tMs));
    }
  } finally {
    if (!agentStopped) await agent.stop();
  }
}, 180_000);

it('a 1 s interval: one sample per pass, running totals and gauge deltas carried across passes', async () => {
  const udp = await freeUdpPort();
  const instance = uniqueName('statsd-passes');
  const dir = mkdtempSync(join(tmpdir(), 'sluice-statsd-passes-'));
  const agent = await startService('agent', {
    prefix,
    db,
    env: {
      SLUICE_AGENT_INGEST_URL: pipeline.ingest.url,
      SLUICE_AGENT_API_KEY: KEY,
      SLUICE_AGENT_STATE_DIR: dir,
      SLUICE_AGENT_INTERVAL_S: '1',
      SLUICE_AGENT_INSTANCE: instance,
      SLUICE_AGENT_STATSD_LISTEN: `127.0.0.1:${udp}`,
    },
  });
  const client = new StatsD({ host: '127.0.0.1', port: udp, maxBufferSize: 0 });
  try {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    // One line per series per burst, and a pass between bursts: each burst is exactly one sample.
    const bursts: Array<() => void> = [
      () => {
        client.increment('app.orders', 3);
        client.gauge('app.level', 100);
        client.timing('app.step', 5);
      },
      () => {
        client.increment('app.orders', 2, 0.5); // counts 4
        client.gaugeDelta('app.level', -30);
        client.timing('app.step', 7, 0.5); // counts 2
      },
      () => {
        client.increment('app.orders', 1);
        client.gaugeDelta('app.level', 0.5);
        client.timing('app.step', 0);
      },
    ];
    for (const [i, burst] of bursts.entries()) {
      burst();
      await until(
        `burst ${i + 1} recorded`,
        async () =>
          (await metricValue(agent.url, 'sluice_agent_statsd_lines_total', { transport: 'udp' })) ===
          3 * (i + 1),
        { timeoutMs: 10_000, everyMs: 20 },
      );
      const built = await metricValue(agent.url, 'sluice_agent_payloads_built_total');
      await until(
        'a pass after the burst',
        async () => (await metricValue(agent.url, 'sluice_agent_payloads_built_total')) > built,
        {
          timeoutMs: 10_000,
          everyMs: 50,
        },
      );
    }
    random.mockRestore();
  } finally {
    await new Promise<void>((r) => client.close(() => r()));
    expect(await agent.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }

  const docsOf = async (name: string) => {
    const s = await store.db.collection<Doc>('series').findOne({ 'labels.instance': instance, name });
    return s ? await store.db.collection<Doc>('rollups_1m').find({ sid: s._id }).toArray() : [];
  };
  const got: Record<string, Record<string, unknown>> = {};
  await until(
    'three samples of each app series in the 1-minute rollups',
    async () => {
      for (const name of ['app_orders', 'app_level', 'app_step']) got[name] = merged(await docsOf(name));
      return Object.values(got).every((m) => m.n === 3);
    },
    { timeoutMs: 60_000, everyMs: 500, describe: () => JSON.stringify(got) },
  );
  // Counter: increments 3, 4, 1; running totals 3, 7, 8.
  const orders = got.app_orders as Record<string, unknown> & { first: Doc; last: Doc };
  expect({ ...orders, first: undefined, last: undefined }).toEqual({
    n: 3,
    sum: 3 + 7 + 8,
    inc: 8,
    min: 3,
    max: 8,
    first: undefined,
    last: undefined,
  });
  expect(orders.first).toMatchObject({ v: 3, d: 3, r: false });
  expect(orders.last).toMatchObject({ v: 8, d: 1 });
  expect(orders.last.tp).toBeGreaterThan(orders.first.t);
  expect(orders.last.tp).toBeLessThan(orders.last.t);
  // Gauge: 100, then −30 on the kept value, then +0.5.
  const level = got.app_level as Record<string, unknown> & { first: Doc; last: Doc };
  expect([level.n, level.sum, level.min, level.max, level.first.v, level.last.v]).toEqual([
    3,
    100 + 70 + 70.5,
    70,
    100,
    100,
    70.5,
  ]);
  // Histogram: 5 once, 7 twice (rate 0.5), 0 once.
  expect(got.app_step).toEqual({
    n: 3,
    hc: 4,
    hs: 5 + 14 + 0,
    hz: 1,
    hp: { [bucket(5)]: 1, [bucket(7)]: 2 },
  });
}, 180_000);
