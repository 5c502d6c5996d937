/**
 * Ingest against the real Kafka of the local stack: a valid payload becomes exactly one raw record with
 * the exact bytes; every class of bad input is refused with its code and status, counted in /metrics,
 * leaves the process serving, and writes nothing to Kafka (the topic holds exactly the valid payloads).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer } from '../../common/kafka.ts';
import type { IngestErrorCode } from '../../ingest/errors.ts';
import { stampRecord } from '../../ingest/http.ts';
import type { IngestHandle } from '../../ingest/main.ts';
import { uniqueName } from '../support/wait.ts';
import {
  type Answer,
  highWatermark,
  metric,
  post,
  type ReadRecord,
  readTopic,
  startTestIngest,
  untilRecord,
} from './harness.ts';
import { encode, gaugeSeries, validPayload } from './payloads.ts';

const prefix = `${uniqueName('ingest')}.`;
const agent = 'agent-1';
let ingest: IngestHandle;
let killSwitch: IngestHandle;
let reader: { records: ReadRecord[]; consumer: Consumer };
/** Every payload answered 204, in order: the topic must hold exactly these. */
const accepted: Buffer[] = [];
/** Refusals expected in sluice_ingest_rejected_total, by `reason|tenant`. */
const refused = new Map<string, number>();
let seq = 0;

beforeAll(async () => {
  ingest = await startTestIngest(prefix, { SLUICE_INGEST_MAX_BODY_BYTES: String(2 * 1024 * 1024) });
  killSwitch = await startTestIngest(prefix, { SLUICE_INGEST_REFUSE_ALL: 'true' });
  await ingest.whenReady;
  reader = await readTopic(ingest.topic);
});
afterAll(async () => {
  await reader?.consumer.disconnect();
  await Promise.all([ingest?.close(), killSwitch?.close()]);
});

/** Posts a fresh valid payload and expects 204. */
async function sendValid(headers: Record<string, string> = {}, gzip = false): Promise<Buffer> {
  const body = encode(validPayload(agent, ++seq, Date.now()));
  const r = await post(
    ingest,
    gzip ? gzipSync(body) : body,
    gzip ? { 'content-encoding': 'gzip', ...headers } : headers,
  );
  expect(r.status).toBe(204);
  accepted.push(body);
  return body;
}

function expectRefusal(r: Answer, status: number, code: IngestErrorCode, tenant: string) {
  expect({ status: r.status, error: r.json?.error }).toEqual({ status, error: code });
  expect(typeof r.json?.message).toBe('string');
  const k = `${code}|${tenant}`;
  refused.set(k, (refused.get(k) ?? 0) + 1);
}

describe('ingest → Kafka raw', () => {
  it('a valid payload becomes one raw record with the exact bytes, tenant and receive time, acked before 204', async () => {
    const body = encode(validPayload(agent, ++seq, Date.now()));
    const before = Date.now();
    const r = await post(ingest, body);
    const after = Date.now();
    expect(r.status).toBe(204);
    accepted.push(body);
    // 204 only after the ack: the record is below the high watermark the moment the answer arrives.
    expect(await highWatermark(ingest.topic)).toBe(1);
    const [rec] = await untilRecord(reader.records, agent, seq);
    const receivedMs = rec!.record.receivedMs as number;
    expect(receivedMs).toBeGreaterThanOrEqual(before);
    expect(receivedMs).toBeLessThanOrEqual(after);
    expect(rec!.key).toBe(agent);
    expect(rec!.record.tenant).toBe('dev');
    expect(rec!.value.equals(stampRecord(body, 'dev', receivedMs))).toBe(true);
    expect(rec!.value.subarray(rec!.value.length - body.length).equals(body)).toBe(true);
    expect(await metric(ingest, 'sluice_ingest_samples_total', { tenant: 'dev' })).toBe(3);
    expect(await metric(ingest, 'sluice_ingest_payloads_total', { tenant: 'dev' })).toBe(1);
  });

  it('accepts gzip and forwards the decompressed bytes', async () => {
    const body = await sendValid({}, true);
    const recs = await untilRecord(reader.records, agent, seq);
    expect(
      recs
        .at(-1)!
        .value.subarray(recs.at(-1)!.value.length - body.length)
        .equals(body),
    ).toBe(true);
  });

  const now = Date.now();
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const cases: Array<[string, () => Promise<Answer>, number, IngestErrorCode, string]> = [
    [
      'truncated protobuf',
      () => post(ingest, Buffer.from([0x0a, 0x05, 0x61])),
      400,
      'SLC_ERR_INGEST_DECODE',
      'dev',
    ],
    [
      'invalid gzip',
      () => post(ingest, Buffer.from('nope'), { 'content-encoding': 'gzip' }),
      400,
      'SLC_ERR_INGEST_GZIP_INVALID',
      'dev',
    ],
    [
      'invalid UTF-8',
      () => {
        const b = encode({ agentId: 'zzzz', seq: 1 });
        b[b.indexOf('zzzz') + 1] = 0xc3;
        return post(ingest, b);
      },
      400,
      'SLC_ERR_INGEST_UTF8_INVALID',
      'dev',
    ],
    ['no agentId', () => post(ingest, encode({ seq: 5 })), 400, 'SLC_ERR_INGEST_AGENT_ID_MISSING', 'dev'],
    ['no seq', () => post(ingest, encode({ agentId: agent })), 400, 'SLC_ERR_INGEST_SEQ_MISSING', 'dev'],
    [
      'bad metric name',
      () => post(ingest, encode({ agentId: agent, seq: 99, series: [gaugeSeries('bad-name', now)] })),
      400,
      'SLC_ERR_INGEST_METRIC_NAME_INVALID',
      'dev',
    ],
    [
      'reserved label',
      () =>
        post(ingest, encode({ agentId: agent, seq: 99, series: [gaugeSeries('g', now, 1, { __x: 'y' })] })),
      400,
      'SLC_ERR_INGEST_LABEL_NAME_RESERVED',
      'dev',
    ],
    [
      'NaN value',
      () => post(ingest, encode({ agentId: agent, seq: 99, series: [gaugeSeries('g', now, Number.NaN)] })),
      400,
      'SLC_ERR_INGEST_VALUE_NOT_FINITE',
      'dev',
    ],
    [
      'timestamp 8 days old',
      () =>
        post(ingest, encode({ agentId: agent, seq: 99, series: [gaugeSeries('g', now - 8 * 86_400_000)] })),
      400,
      'SLC_ERR_INGEST_TIMESTAMP_TOO_OLD',
      'dev',
    ],
    [
      'timestamp 11 minutes ahead',
      () =>
        post(ingest, encode({ agentId: agent, seq: 99, series: [gaugeSeries('g', Date.now() + 660_000)] })),
      400,
      'SLC_ERR_INGEST_TIMESTAMP_IN_FUTURE',
      'dev',
    ],
    [
      'no key',
      () => post(ingest, encode(validPayload(agent, 99, now)), { authorization: '' }),
      401,
      'SLC_ERR_INGEST_KEY_MISSING',
      'unknown',
    ],
    [
      'unknown key',
      () => post(ingest, encode(validPayload(agent, 99, now)), { authorization: 'Bearer not-a-key' }),
      401,
      'SLC_ERR_INGEST_KEY_UNKNOWN',
      'unknown',
    ],
    [
      'GET',
      () => post(ingest, Buffer.alloc(0), {}, 'GET'),
      405,
      'SLC_ERR_INGEST_METHOD_NOT_ALLOWED',
      'unknown',
    ],
    [
      'JSON content type',
      () => post(ingest, encode(validPayload(agent, 99, now)), { 'content-type': 'application/json' }),
      415,
      'SLC_ERR_INGEST_CONTENT_TYPE',
      'dev',
    ],
    [
      'brotli',
      () => post(ingest, encode(validPayload(agent, 99, now)), { 'content-encoding': 'br' }),
      415,
      'SLC_ERR_INGEST_CONTENT_ENCODING',
      'dev',
    ],
    [
      'body over 2 MiB',
      () => post(ingest, Buffer.alloc(2 * 1024 * 1024 + 1)),
      413,
      'SLC_ERR_INGEST_BODY_TOO_LARGE',
      'dev',
    ],
    [
      'gzip bomb (64 MiB of zeros)',
      () => post(ingest, bomb, { 'content-encoding': 'gzip' }),
      413,
      'SLC_ERR_INGEST_DECOMPRESSED_TOO_LARGE',
      'dev',
    ],
    [
      'identity body over the payload bound',
      () => post(ingest, Buffer.alloc(960 * 1024 + 1)),
      413,
      'SLC_ERR_INGEST_DECOMPRESSED_TOO_LARGE',
      'dev',
    ],
    [
      'kill switch',
      () => post(killSwitch, encode(validPayload(agent, 99, now))),
      503,
      'SLC_ERR_INGEST_REFUSE_ALL',
      'unknown',
    ],
  ];

  it.each(cases)('refuses %s, counts it, keeps serving', async (_what, send, status, code, tenant) => {
    const r = await send();
    expectRefusal(r, status, code, tenant);
    if (status === 503) expect(r.retryAfter).toBe('5');
    if (status === 405) expect(r.json).toEqual({ error: code, message: 'GET not allowed' });
    const h = code === 'SLC_ERR_INGEST_REFUSE_ALL' ? killSwitch : ingest;
    expect(await metric(h, 'sluice_ingest_rejected_total', { reason: code, tenant })).toBe(
      refused.get(`${code}|${tenant}`),
    );
    expect(
      await metric(h, 'sluice_ingest_requests_total', { status: String(status) }),
    ).toBeGreaterThanOrEqual(1);
    await sendValid();
  });

  it('an unknown path is 404 and not an ingest refusal', async () => {
    const r = await post(ingest, Buffer.alloc(0), {}, 'POST', '/v1/other');
    expect({ status: r.status, error: r.json?.error }).toEqual({
      status: 404,
      error: 'SLC_ERR_HTTP_NOT_FOUND',
    });
  });

  it('counted every refusal exactly, and the topic holds exactly the accepted payloads, in order', async () => {
    for (const [k, n] of refused) {
      const [reason, tenant] = k.split('|') as [string, string];
      const h = reason === 'SLC_ERR_INGEST_REFUSE_ALL' ? killSwitch : ingest;
      expect(await metric(h, 'sluice_ingest_rejected_total', { reason, tenant }), k).toBe(n);
    }
    expect(await metric(killSwitch, 'sluice_ingest_unavailable_total', { cause: 'refuse_all' })).toBe(1);
    expect(await metric(ingest, 'sluice_ingest_requests_total', { status: '204' })).toBe(accepted.length);
    const sentinel = await sendValid();
    const recs = await untilRecord(reader.records, agent, seq);
    expect(recs).toHaveLength(accepted.length);
    expect(accepted.at(-1)).toBe(sentinel);
    expect(recs.map((r) => r.record.payload?.seq)).toEqual(accepted.map((_, i) => i + 1));
    recs.forEach((r, i) => {
      expect(r.value.subarray(r.value.length - accepted[i]!.length).equals(accepted[i]!), `record ${i}`).toBe(
        true,
      );
      expect(
        r.value.equals(stampRecord(accepted[i]!, 'dev', r.record.receivedMs as number)),
        `record ${i}`,
      ).toBe(true);
    });
    expect(await highWatermark(ingest.topic)).toBe(accepted.length);
  });
});
