import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc, Store } from '../../common/mongo.ts';
import { AgentPayload } from '../../proto/index.ts';
import { metricValue, type Pipeline, startPipeline } from '../support/pipeline.ts';
import { until } from '../support/wait.ts';
import { type Expected, expectedRollups, planAgent } from './truth.ts';

const KEY = 'e2e-key-0123456789abcdef';
const TENANT = 'acme';
let pipeline: Pipeline;
let store: Store;

beforeAll(async () => {
  pipeline = await startPipeline({
    name: 'e2e',
    keys: { [KEY]: TENANT },
    keysDir: tmpdir(),
    rawPartitions: 4,
    rollupPartitions: 4,
    flushMs: 200,
  });
  store = pipeline.store;
}, 180_000);

afterAll(async () => {
  expect(await pipeline?.stop()).toEqual([0, 0, 0]);
}, 120_000);

async function post(body: Uint8Array, gzip: boolean): Promise<number> {
  const ingest = pipeline.ingest;
  const res = await fetch(`${ingest.url}/v1/ingest`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/x-protobuf',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: gzip ? gzipSync(body) : body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** The store's rollups in the ground truth's shape, keyed `series|res|bucketStartMs`. */
async function actualRollups(): Promise<Expected> {
  const series = new Map<string, Doc>();
  for (const s of await store.db.collection<Doc>('series').find({}).toArray()) series.set(s._id, s);
  const out: Expected = {};
  for (const [res, coll] of [
    [60, 'rollups_1m'],
    [3600, 'rollups_1h'],
  ] as const) {
    for (const d of await store.db.collection<Doc>(coll).find({}).toArray()) {
      const s = series.get(d.sid);
      const labels = Object.entries((s?.labels ?? {}) as Record<string, string>).sort(([a], [b]) =>
        a < b ? -1 : 1,
      );
      const key = `${d.name}{${labels.map(([k, v]) => `${k}=${v}`).join(',')}}|${res}|${(d.start as Date).getTime()}`;
      const { _id, sid, start, exp, o, ...fields } = d;
      out[key] = fields;
    }
  }
  return out;
}

describe('pipeline end to end', () => {
  it('writes exactly the ground truth: out of order, 3 hours late, on boundaries, duplicates once', async () => {
    const now = Date.now();
    const recentStart = Math.floor((now - 20 * 60_000) / 60_000) * 60_000;
    const agents = ['host-a', 'host-b', 'host-c'].map((id, i) => planAgent(id, recentStart, i));
    let sent = 0;
    for (const a of agents) {
      for (const seq of a.sendOrder) {
        const bytes = AgentPayload.encode(a.payloads.get(seq)!).finish();
        expect(await post(bytes, sent % 2 === 0)).toBe(204);
        sent++;
      }
    }
    const expected = expectedRollups(
      TENANT,
      agents.flatMap((a) => a.observations),
    );
    let actual: Expected = {};
    await until(
      'rollups equal to the ground truth',
      async () => {
        actual = await actualRollups();
        return isDeepStrictEqual(actual, expected);
      },
      {
        timeoutMs: 90_000,
        everyMs: 500,
        describe: () => `${Object.keys(actual).length}/${Object.keys(expected).length} documents`,
      },
    ).catch(() => undefined);
    expect(sorted(actual)).toEqual(sorted(expected));
    // One duplicate payload per agent, skipped by (agentId, seq).
    expect(await metricValue(pipeline.processor.url, 'sluice_processor_duplicates_skipped_total')).toBe(3);
  }, 150_000);
});

function sorted(x: Expected): Expected {
  return Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)));
}
