/**
 * 503 paths against the real broker: the in-flight bound, the produce deadline, a producer that cannot
 * connect, and a graceful close with a record in flight. The broker is made unresponsive by pausing the
 * producer's own sockets (requests reach Kafka, answers are not read), so other tests are unaffected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stampRecord } from '../../ingest/http.ts';
import type { IngestHandle } from '../../ingest/main.ts';
import { uniqueName, until } from '../support/wait.ts';
import { metric, post, type ReadRecord, readTopic, startTestIngest, untilRecord, Valve } from './harness.ts';
import { encode, validPayload } from './payloads.ts';

const agent = 'agent-u';
const handles: IngestHandle[] = [];
const readers: Array<{ consumer: { disconnect(): Promise<void> } }> = [];

afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.consumer.disconnect()));
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

async function start(env: Record<string, string>, valve?: Valve) {
  const h = await startTestIngest(`${uniqueName('ingest-u')}.`, env, valve);
  handles.push(h);
  await h.whenReady;
  return h;
}

async function read(h: IngestHandle): Promise<ReadRecord[]> {
  const r = await readTopic(h.topic);
  readers.push(r);
  return r.records;
}

const seqs = (recs: ReadRecord[]) => recs.map((r) => r.record.payload?.seq);

async function readyz(h: IngestHandle) {
  const r = await fetch(`${h.url}/readyz`);
  return { status: r.status, text: await r.text() };
}

describe('ingest answers 503 + Retry-After and stays bounded', () => {
  it('when in-flight bytes reach the bound (the refused payload never reaches Kafka)', async () => {
    const bodies = [1, 2, 3].map((s) => encode(validPayload(agent, s, Date.now(), 20)));
    const cost = stampRecord(bodies[0]!, 'dev', Date.now()).length + agent.length + 64;
    expect(cost).toBeGreaterThan(683); // so that 1.5 × cost fits one record and not two, above the 1024 minimum
    const valve = new Valve();
    const h = await start({ SLUICE_INGEST_MAX_INFLIGHT_BYTES: String(Math.floor(cost * 1.5)) }, valve);
    const recs = await read(h);
    valve.freeze();
    const first = post(h, bodies[0]!);
    await until(
      'the first record in flight',
      async () => (await metric(h, 'sluice_ingest_inflight_bytes')) === cost,
    );
    const refused = await post(h, bodies[1]!);
    expect([refused.status, refused.retryAfter, refused.json?.error]).toEqual([
      503,
      '5',
      'SLC_ERR_INGEST_OVERLOADED',
    ]);
    expect(
      await metric(h, 'sluice_ingest_rejected_total', { reason: 'SLC_ERR_INGEST_OVERLOADED', tenant: 'dev' }),
    ).toBe(1);
    expect(await metric(h, 'sluice_ingest_unavailable_total', { cause: 'overloaded' })).toBe(1);
    valve.thaw();
    expect((await first).status).toBe(204);
    expect((await post(h, bodies[2]!)).status).toBe(204);
    await untilRecord(recs, agent, 3);
    expect(seqs(recs)).toEqual([1, 3]);
    expect(await metric(h, 'sluice_ingest_inflight_bytes')).toBe(0);
  });

  it('when Kafka does not ack within the deadline; a record already sent may still land, a queued one never does', async () => {
    const valve = new Valve();
    const h = await start({ SLUICE_INGEST_PRODUCE_TIMEOUT_MS: '300' }, valve);
    const recs = await read(h);
    const body = (s: number) => encode(validPayload(agent, s, Date.now()));
    expect((await post(h, body(1))).status).toBe(204);
    valve.freeze();
    const sent = await post(h, body(2));
    expect([sent.status, sent.retryAfter, sent.json?.error]).toEqual([
      503,
      '5',
      'SLC_ERR_INGEST_PRODUCE_TIMEOUT',
    ]);
    // Not ready once the stuck batch is older than the deadline (it started a linger after the request).
    const stalled = await until('not ready while the batch is stuck', async () => {
      const r = await readyz(h);
      return r.status === 503 && r;
    });
    expect(stalled.text).toMatch(/^not ready: kafka produce unacknowledged for \d+ ms\n$/);
    // Queued behind the stuck batch: dropped at its deadline, never handed to Kafka.
    const queued = await post(h, body(3));
    expect([queued.status, queued.json?.error]).toEqual([503, 'SLC_ERR_INGEST_PRODUCE_TIMEOUT']);
    expect(
      await metric(h, 'sluice_ingest_rejected_total', {
        reason: 'SLC_ERR_INGEST_PRODUCE_TIMEOUT',
        tenant: 'dev',
      }),
    ).toBe(2);
    expect(await metric(h, 'sluice_ingest_unavailable_total', { cause: 'produce_timeout' })).toBe(2);
    valve.thaw();
    await until('ready again', async () => (await readyz(h)).status === 200);
    expect((await post(h, body(4))).status).toBe(204);
    await untilRecord(recs, agent, 4);
    // seq 2 was answered 503 and landed anyway (the agent's retry is a duplicate the processor drops).
    expect(seqs(recs)).toEqual([1, 2, 4]);
    expect(await metric(h, 'sluice_ingest_inflight_bytes')).toBe(0);
  });

  it('when the producer cannot connect: not ready, and POST is refused before the body is read', async () => {
    const h = await startTestIngest(`${uniqueName('ingest-u')}.`, { KAFKA_BROKERS: '127.0.0.1:1' });
    handles.push(h);
    expect(await readyz(h)).toEqual({ status: 503, text: 'not ready: kafka producer not connected\n' });
    const r = await post(h, encode(validPayload(agent, 1, Date.now())));
    expect([r.status, r.retryAfter, r.json?.error]).toEqual([503, '5', 'SLC_ERR_INGEST_KAFKA_UNAVAILABLE']);
    expect(await metric(h, 'sluice_ingest_unavailable_total', { cause: 'kafka_unavailable' })).toBe(1);
    expect(
      await metric(h, 'sluice_ingest_rejected_total', {
        reason: 'SLC_ERR_INGEST_KAFKA_UNAVAILABLE',
        tenant: 'dev',
      }),
    ).toBe(1);
  });

  it('close() stops accepting, lets the in-flight request get its ack and 204, then disconnects', async () => {
    const valve = new Valve();
    const h = await start({}, valve);
    const recs = await read(h);
    valve.freeze();
    const inflight = post(h, encode(validPayload(agent, 1, Date.now())));
    await until('the record in flight', () => h.producer.inflightBytes() > 0);
    const closed = h.close();
    await until('listener closed', () =>
      fetch(`${h.url}/healthz`).then(
        () => false,
        () => true,
      ),
    );
    valve.thaw();
    expect((await inflight).status).toBe(204);
    await closed;
    await untilRecord(recs, agent, 1);
    expect(seqs(recs)).toEqual([1]);
  });
});
